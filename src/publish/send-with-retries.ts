import type { Logger } from '../logger.js'

/** How often and how long to try. */
export interface RetryOptions {
  /** The wait before each retry; its length bounds the number of attempts (one more than it). */
  retryDelaysMs: readonly number[]
  /** How long one attempt may take. */
  timeoutMs: number
}

/** One request to deliver, such as a purge to a cache or a publish ping to a hub. */
export interface Delivery extends RetryOptions {
  url: string
  method: string
  headers?: Record<string, string>
  body?: string
  /** What it is, for the log: `cache purge`, `WebSub publish`. */
  what: string
  /** Fields every log line of it carries. */
  details: Record<string, unknown>
  logger: Logger
  /** Aborting it stops the attempts, the one under way included. */
  signal: AbortSignal
  /** Called once the first attempt has succeeded or failed. */
  onFirstAttempt?: () => void
}

/**
 * Send a request until it is answered with a 2xx, retrying after network errors,
 * timeouts, 429 and 5xx with the given waits; any other status is final. Each attempt is
 * logged. Resolves with whether it was delivered; never rejects.
 */
export async function sendWithRetries(delivery: Delivery): Promise<boolean> {
  const { url, method, headers, body, what, details, logger, signal, retryDelaysMs, timeoutMs } = delivery
  let onFirstAttempt = delivery.onFirstAttempt
  const attempts = retryDelaysMs.length + 1
  try {
    for (let attempt = 1; attempt <= attempts && !signal.aborted; attempt++) {
      let failure: string
      let retryable = true
      try {
        const response = await fetch(url, { method, headers, body, signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) })
        await response.arrayBuffer()
        if (response.ok) {
          logger.info({ event: what, url, attempt, status: response.status, ...details }, `${what} to ${url}: ${response.status}`)
          return true
        }
        failure = `HTTP ${response.status}`
        retryable = response.status === 429 || response.status >= 500
      } catch (error) {
        if (signal.aborted) return false
        failure = (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : String((error as Error).cause ?? error)
      }
      onFirstAttempt?.()
      onFirstAttempt = undefined
      const last = !retryable || attempt === attempts
      const level = last ? 'error' : 'warn'
      logger[level]({ event: `${what} failed`, url, attempt, error: failure, ...details }, `${what} to ${url} failed (${failure}), attempt ${attempt} of ${attempts}${last ? '; giving up' : ''}`)
      if (last) return false
      await pause(retryDelaysMs[attempt - 1]!, signal)
    }
    return false
  } finally {
    onFirstAttempt?.()
  }
}

/** Wait `ms`, or less if `signal` aborts; the timer never keeps the process alive. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    timer.unref()
    signal.addEventListener('abort', done, { once: true })
  })
}
