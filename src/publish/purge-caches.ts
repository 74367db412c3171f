import type { Logger } from '../logger.js'
import { pause, sendWithRetries, type RetryOptions } from './send-with-retries.js'

/** Options of `createCachePurger`. */
export interface CachePurgerOptions extends Partial<RetryOptions> {
  /** Each cache's address (`cache.purgeUrls`): it gets a `PURGE` request with an `xkey` header. */
  urls: readonly string[]
  logger: Logger
  /**
   * The same purge again this long after it succeeded. A response the previous version
   * sent just before the change can reach a cache after the first, and a ban drops
   * only what the cache already held: the second one drops that too.
   */
  repeatAfterMs?: number
}

/** Tells shared caches which documents changed. */
export interface CachePurger {
  /**
   * Ask every cache to drop the documents that carry any of `keys`. Resolves once each
   * cache has answered its first request or failed it (retries go on afterwards); never rejects.
   */
  purge(keys: readonly string[]): Promise<void>
  /** Resolves once no request is under way or waiting (for a retry or the repeat). */
  idle(): Promise<void>
  /** Stop: nothing more is sent, waits end. */
  close(): void
}

// Varnish refuses request headers over 8 KB (http_req_hdr_len): longer key lists are split.
const maxHeaderBytes = 4_000

/**
 * A purger for the caches at `urls`, speaking what the shipped VCL understands
 * (deploy/varnish/default.vcl): `PURGE /` with the keys, separated by spaces, in `xkey` (a ban of
 * every stored response whose own `xkey` names one of them).
 * A cache that does not answer never delays publishing: requests go out after the new
 * catalog is in place, time out, and are retried with backoff a bounded number of times,
 * each failure logged.
 */
export function createCachePurger(options: CachePurgerOptions): CachePurger {
  const { urls, logger, repeatAfterMs = 500 } = options
  const retryDelaysMs = options.retryDelaysMs ?? [250, 1_000, 4_000, 15_000]
  const timeoutMs = options.timeoutMs ?? 2_000
  const running = new Set<Promise<unknown>>()
  const stop = new AbortController()
  const ban = (url: string, xkey: string, delays: readonly number[], onFirstAttempt?: () => void) =>
    sendWithRetries({ url, method: 'PURGE', headers: { xkey }, what: 'cache purge', details: { keys: xkey }, logger, signal: stop.signal, retryDelaysMs: delays, timeoutMs, ...(onFirstAttempt ? { onFirstAttempt } : {}) })
  const deliver = async (url: string, xkey: string, onFirstAttempt: () => void) => {
    if (!(await ban(url, xkey, retryDelaysMs, onFirstAttempt))) return
    await pause(repeatAfterMs, stop.signal)
    if (!stop.signal.aborted) await ban(url, xkey, [])
  }
  return {
    purge(keys) {
      if (stop.signal.aborted || keys.length === 0) return Promise.resolve()
      const firstAttempts = urls.flatMap((url) =>
        splitKeys(keys).map(
          (xkey) =>
            new Promise<void>((answered) => {
              const delivery = deliver(url, xkey, answered)
              running.add(delivery)
              void delivery.finally(() => running.delete(delivery))
            }),
        ),
      )
      return Promise.all(firstAttempts).then(() => undefined)
    },
    async idle() {
      while (running.size > 0) await Promise.allSettled([...running])
    },
    close() {
      stop.abort()
    },
  }
}

/** Keys joined by spaces, in as few header values as fit `maxHeaderBytes`. */
function splitKeys(keys: readonly string[]): string[] {
  const values: string[] = []
  let current = ''
  for (const key of keys) {
    if (current !== '' && current.length + 1 + key.length > maxHeaderBytes) {
      values.push(current)
      current = ''
    }
    current = current === '' ? key : `${current} ${key}`
  }
  if (current !== '') values.push(current)
  return values
}
