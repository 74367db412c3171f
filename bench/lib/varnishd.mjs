import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { findFreePort, readCpuSeconds, spawnProgram, waitForStatus } from './processes.mjs'

/** Where Debian's varnish package puts the daemon and its counter reader. */
export const varnishdPath = '/usr/sbin/varnishd'
const varnishstatPath = '/usr/bin/varnishstat'

/** The configuration the repository ships (README, Deploy). */
const shippedVcl = fileURLToPath(new URL('../../deploy/varnish/default.vcl', import.meta.url))

/** Why Varnish cannot run here, or undefined when it can. */
export function findMissingVarnish() {
  for (const program of [varnishdPath, varnishstatPath]) if (!existsSync(program)) return `${program} is missing (apt-get install varnish)`
  return undefined
}

/**
 * Start varnishd in the foreground with the shipped VCL, its backend port replaced by
 * `backendPort`, as deploy/varnish/default.vcl documents it (gzip handling off), on loopback
 * `port` (a free one by default), with its working folder (-n) in `dir`. Resolves once
 * `/healthz` answers through it, so the origin must be up.
 *
 * @param {{ backendPort: number, dir: string, port?: number, storageMB?: number }} options
 */
export async function startVarnishd({ backendPort, dir, port, storageMB = 256 }) {
  await mkdir(dir, { recursive: true })
  const vclFile = path.join(dir, 'default.vcl')
  await writeFile(vclFile, (await readFile(shippedVcl, 'utf8')).replace('.port = "3000";', `.port = "${backendPort}";`))
  const workDir = path.join(dir, 'work')
  port ??= await findFreePort()
  // No jail (-j none): as root it would switch to the varnish user, who cannot read this private folder.
  const args = ['-F', '-n', workDir, '-j', 'none', '-a', `127.0.0.1:${port}`, '-T', '127.0.0.1:0', '-f', vclFile, '-s', `malloc,${storageMB}m`, '-p', 'http_gzip_support=off']
  const varnishd = spawnProgram(varnishdPath, args, { cwd: dir })
  const url = `http://127.0.0.1:${port}`
  try {
    // Compiling the VCL takes a second or two.
    await waitForStatus(`${url}/healthz`, { since: performance.now(), deadlineMs: 30_000, intervalMs: 50, process: varnishd })
  } catch (error) {
    await varnishd.stop()
    throw error
  }
  return {
    url,
    /** Stop the manager, which stops its cache process. */
    stop: () => varnishd.stop(),
    /** MAIN.* counters (requests, hits, misses, backend fetches, bans), by name without the prefix. */
    readCounters() {
      const report = JSON.parse(execFileSync(varnishstatPath, ['-n', workDir, '-1', '-j', '-f', 'MAIN.*'], { encoding: 'utf8' }))
      // varnishstat 6.5 and later nest the counters under `counters`; earlier ones did not.
      const counters = report.counters ?? report
      return Object.fromEntries(Object.entries(counters).filter(([name]) => name.startsWith('MAIN.')).map(([name, { value }]) => [name.slice(5), value]))
    },
    /** CPU seconds of the manager and its cache process (which does the serving). */
    readCpuSeconds() {
      return [varnishd.pid, ...listChildren(varnishd.pid)].reduce((sum, pid) => sum + readCpuSeconds(pid), 0)
    },
  }
}

/** A process's children, from /proc (Linux). */
function listChildren(pid) {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number)
  } catch {
    return []
  }
}
