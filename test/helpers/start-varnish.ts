import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer, type AddressInfo, connect } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { waitFor } from './wait-for.js'

/** Where Debian's varnish package puts the daemon. */
export const varnishdPath = '/usr/sbin/varnishd'

/** The configuration the repository ships (README, Deploy). */
export const shippedVcl = fileURLToPath(new URL('../../deploy/varnish/default.vcl', import.meta.url))

/** A varnishd started by a test, in front of one backend port. */
export interface RunningVarnish {
  /** `http://127.0.0.1:<port>` */
  url: string
  stop(): Promise<void>
}

/**
 * Start varnishd in the foreground with the shipped VCL, its backend port replaced by
 * `backendPort`, on a free loopback port, and wait until it accepts connections.
 */
export async function startVarnish(backendPort: number): Promise<RunningVarnish> {
  if (!existsSync(varnishdPath)) throw new Error(`${varnishdPath} is missing (apt-get install varnish)`)
  const dir = await mkdtemp(path.join(tmpdir(), 'creditline-varnish-'))
  const vcl = (await readFile(shippedVcl, 'utf8')).replace('.port = "3000";', `.port = "${backendPort}";`)
  const vclFile = path.join(dir, 'default.vcl')
  await writeFile(vclFile, vcl)
  const port = await findFreePort()
  const args = ['-F', '-n', path.join(dir, 'work'), '-a', `127.0.0.1:${port}`, '-T', '127.0.0.1:0', '-f', vclFile, '-s', 'malloc,64m', '-p', 'http_gzip_support=off']
  // No jail: as root it would switch to the varnish user, who cannot read this private folder.
  args.push('-j', 'none')
  const child = spawn(varnishdPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  let running = true
  void exited.then(() => (running = false))
  const stop = async () => {
    if (running) child.kill('SIGTERM')
    await exited
    await rm(dir, { recursive: true, force: true })
  }
  try {
    // Compiling the VCL takes a second or two.
    await Promise.race([
      waitFor(async () => (await accepts(port)) || undefined, { timeoutMs: 30_000, what: `varnishd on port ${port}` }),
      exited.then(() => Promise.reject(new Error('varnishd exited'))),
    ])
  } catch (error) {
    await stop()
    throw new Error(`${(error as Error).message}\n${output}`)
  }
  return { url: `http://127.0.0.1:${port}`, stop }
}

/** A port nothing listens on now: the system's choice for port 0. */
async function findFreePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}
