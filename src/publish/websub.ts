import type { Logger } from '../logger.js'
import { sendWithRetries, type RetryOptions } from './send-with-retries.js'

/** Options of `createHubNotifier`. */
export interface HubNotifierOptions extends Partial<RetryOptions> {
  /** The hubs (`websub.hubs`). */
  hubs: readonly string[]
  logger: Logger
}

/** Tells WebSub hubs that feeds have a new version. */
export interface HubNotifier {
  /** Send one publish ping per feed URL to every hub, in the background. */
  notify(feedUrls: readonly string[]): void
  /** Resolves once no ping is under way or waiting for a retry. */
  idle(): Promise<void>
  /** Stop: nothing more is sent. */
  close(): void
}

/**
 * A WebSub publisher: `hub.mode=publish` with `hub.url=<feed URL>`, form-encoded, POSTed
 * to each hub (the form PubSubHubbub 0.4 defined and WebSub hubs accept). Each ping is
 * retried with backoff a bounded number of times, and each attempt is logged.
 * @see https://www.w3.org/TR/websub/#publishing
 */
export function createHubNotifier(options: HubNotifierOptions): HubNotifier {
  const { hubs, logger } = options
  const retryDelaysMs = options.retryDelaysMs ?? [1_000, 5_000, 30_000, 120_000]
  const timeoutMs = options.timeoutMs ?? 10_000
  const running = new Set<Promise<unknown>>()
  const stop = new AbortController()
  return {
    notify(feedUrls) {
      for (const hub of hubs) {
        for (const feedUrl of feedUrls) {
          const ping = sendWithRetries({
            url: hub,
            method: 'POST',
            headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ 'hub.mode': 'publish', 'hub.url': feedUrl }).toString(),
            what: 'WebSub publish',
            details: { feed: feedUrl },
            logger,
            signal: stop.signal,
            retryDelaysMs,
            timeoutMs,
          })
          running.add(ping)
          void ping.finally(() => running.delete(ping))
        }
      }
    },
    async idle() {
      while (running.size > 0) await Promise.allSettled([...running])
    },
    close() {
      stop.abort()
    },
  }
}
