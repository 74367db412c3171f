import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'

/** Every child this process started, so that an error or Ctrl-C never leaves a server behind. */
const children = new Set()

/**
 * Spawn a Node.js program with `env` added to this process's environment; its output is
 * kept (the last 64 KiB) to explain a failure.
 *
 * @param {string[]} args arguments of `node` (flags, then the script and its arguments)
 * @param {{ env?: Record<string, string>, cwd: string }} options
 */
export function spawnNode(args, options) {
  return spawnProgram(process.execPath, args, options)
}

/**
 * Spawn `program` as `spawnNode` does a Node.js program: output kept, stopped on error or interrupt.
 *
 * @param {string} program
 * @param {string[]} args
 * @param {{ env?: Record<string, string>, cwd: string }} options
 */
export function spawnProgram(program, args, { env = {}, cwd }) {
  const startedAt = performance.now()
  const child = spawn(program, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const keep = (chunk) => {
    output = (output + chunk.toString()).slice(-65_536)
  }
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
  children.add(child)
  void exited.then(() => children.delete(child))
  return {
    child,
    pid: child.pid,
    startedAt,
    exited,
    output: () => output,
    /** Ask the process to stop (SIGTERM: the server finishes requests, writes its CPU profile), then force it. */
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return exited
      child.kill('SIGTERM')
      const forced = setTimeout(() => child.kill('SIGKILL'), 15_000)
      const result = await exited
      clearTimeout(forced)
      return result
    },
  }
}

/** Kill every child still running (on error or interrupt). */
export function killChildren() {
  for (const child of children) child.kill('SIGKILL')
}

/** A TCP port that was free a moment ago. */
export async function findFreePort() {
  const server = net.createServer()
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address()
  await new Promise((resolve) => server.close(resolve))
  return port
}

/**
 * One HTTP request; the body is read whole.
 *
 * @param {string} url
 * @param {{ headers?: Record<string, string>, agent?: http.Agent | false, timeoutMs?: number }} [options]
 * @returns {Promise<{ status: number, headers: http.IncomingHttpHeaders, body: Buffer, connectedAt: number | undefined }>}
 *   `connectedAt` is the `performance.now()` at which a new connection was accepted.
 */
export function request(url, { headers = {}, agent = false, timeoutMs = 30_000 } = {}) {
  return new Promise((resolve, reject) => {
    let connectedAt
    const req = http.get(url, { headers, agent }, (res) => {
      const chunks = []
      res.on('data', (chunk) => chunks.push(chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), connectedAt }))
      res.on('error', reject)
    })
    // Only a new socket connects; a kept-alive one is already connected and would collect listeners.
    req.once('socket', (socket) => {
      if (socket.connecting) socket.once('connect', () => (connectedAt = performance.now()))
    })
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`timeout after ${timeoutMs} ms: ${url}`)))
    req.on('error', reject)
  })
}

/**
 * Poll `url` until it answers `status`, measuring from `since` (a `performance.now()` value).
 * Refused connections (the server is not listening yet) are retried every `intervalMs`.
 *
 * @param {string} url
 * @param {{ since: number, status?: number, deadlineMs?: number, intervalMs?: number, process?: { exited: Promise<unknown>, output: () => string } }} options
 * @returns {Promise<{ ms: number, listeningMs: number, response: Awaited<ReturnType<typeof request>> }>}
 *   `listeningMs` is when the server first accepted a connection (it listens once the content is loaded).
 */
export async function waitForStatus(url, { since, status = 200, deadlineMs = 120_000, intervalMs = 5, process: watched }) {
  let listeningMs
  let exited = false
  void watched?.exited.then(() => {
    exited = true
  })
  for (;;) {
    const elapsed = performance.now() - since
    if (elapsed > deadlineMs) throw new Error(`${url} did not answer ${status} within ${deadlineMs} ms`)
    if (exited) throw new Error(`the server exited before answering ${url}:\n${watched?.output()}`)
    try {
      const response = await request(url, { timeoutMs: deadlineMs })
      listeningMs ??= (response.connectedAt ?? performance.now()) - since
      if (response.status === status) return { ms: performance.now() - since, listeningMs, response }
      throw new Error(`${url} answered ${response.status}: ${response.body.toString().slice(0, 500)}`)
    } catch (error) {
      if (error.code !== 'ECONNREFUSED' && error.code !== 'ECONNRESET') throw error
    }
    await sleep(intervalMs)
  }
}

/**
 * Resident memory of a process, from /proc (Linux only).
 *
 * @param {number} pid
 * @returns {{ rssMB: number, peakMB: number }} current (VmRSS) and peak (VmHWM) resident set
 */
export function readMemory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) / 1024
  return { rssMB: field('VmRSS'), peakMB: field('VmHWM') }
}

/**
 * CPU time a process used so far (user + system), in seconds, from /proc (Linux only).
 *
 * @param {number} pid
 */
export function readCpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // Fields after the command name, which is in parentheses and may contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const ticksPerSecond = 100
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond
}

/**
 * The CPU time a spawned process used in all, known once it exits: /proc forgets a process
 * at exit, so it is sampled every `intervalMs` until then.
 *
 * @param {{ pid: number, exited: Promise<{ code: number | null, signal: string | null }> }} spawned what `spawnNode` returns
 * @returns {Promise<{ code: number | null, signal: string | null, cpuSeconds: number }>}
 */
export async function waitForExitWithCpu(spawned, intervalMs = 50) {
  let cpuSeconds = 0
  const sample = () => {
    try {
      cpuSeconds = readCpuSeconds(spawned.pid)
    } catch {
      // The process has just exited.
    }
  }
  const sampler = setInterval(sample, intervalMs)
  const exit = await spawned.exited
  clearInterval(sampler)
  return { ...exit, cpuSeconds }
}

/** The 1-minute load average, to tell a quiet machine from a busy one in the results. */
export function readLoadAverage() {
  return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0])
}
