import { createHash } from 'node:crypto'
import type { Config } from '../config.js'
import type { Catalog } from '../content/catalog.js'
import type { ContentStore } from '../content/content-store.js'
import { listChangedKeys } from '../http/surrogate-keys.js'
import type { Logger } from '../logger.js'
import type { ArticleRenderer } from '../markdown/render-article.js'
import { resolvePreparedDocument } from '../site/resolve-prepared-document.js'
import { listChangedFeedPaths } from './changed-feeds.js'
import { createCachePurger, type CachePurger } from './purge-caches.js'
import type { RetryOptions } from './send-with-retries.js'
import { createHubNotifier, type HubNotifier } from './websub.js'

/** What `announceChanges` needs: the live content and how to render it. */
export interface AnnounceOptions {
  config: Pick<Config, 'baseUrl' | 'site' | 'feed' | 'cache' | 'websub'>
  store: ContentStore
  renderer: ArticleRenderer
  logger: Logger
  /** Timeout and retry waits of the purges and pings (tests shorten them). */
  retry?: Partial<RetryOptions>
}

/** The announcements under way. */
export interface ChangeAnnouncer {
  /** Resolves once every purge and ping has been delivered or given up. */
  idle(): Promise<void>
  /** Stop listening and sending. */
  close(): void
}

// Hubs fetch the feed as soon as they are told: through a cache that still holds the old
// version, they would get that one. So a ping waits for the caches' first answer, but no
// longer than this.
const purgeWaitMs = 2_000

/**
 * After each new catalog, tell the configured caches which documents changed (by their
 * surrogate keys) and then the WebSub hubs which subscription feeds have new bytes. It
 * never delays the catalog swap: everything is sent in the background.
 */
export function announceChanges({ config, store, renderer, logger, retry = {} }: AnnounceOptions): ChangeAnnouncer {
  const purger: CachePurger | undefined = config.cache.purgeUrls.length > 0 ? createCachePurger({ urls: config.cache.purgeUrls, logger, ...retry }) : undefined
  const notifier: HubNotifier | undefined = config.websub.hubs.length > 0 ? createHubNotifier({ hubs: config.websub.hubs, logger, ...retry }) : undefined
  const running = new Set<Promise<unknown>>()
  // The hash of each feed's bytes when last announced: a file saved unchanged makes a new
  // article object, and so a candidate feed, but no new bytes.
  const announced = new Map<string, string>()
  let current = store.catalog

  const announceFeeds = (previous: Catalog, catalog: Catalog, purged: Promise<void>) => {
    const paths = listChangedFeedPaths(previous, catalog, config.feed.size)
    if (paths.length === 0) return
    const task = Promise.race([purged, new Promise((resolve) => setTimeout(resolve, purgeWaitMs).unref())]).then(async () => {
      const changed: string[] = []
      for (const path of paths) {
        try {
          // The newest catalog: a feed that changed again meanwhile is announced with its latest bytes.
          const document = await resolvePreparedDocument(() => ({ config, catalog: store.catalog, renderer }), path, undefined)
          if (!document) continue
          const hash = createHash('sha256').update(document.body).digest('base64url')
          if (announced.get(path) === hash) continue
          announced.set(path, hash)
          changed.push(path)
        } catch (error) {
          logger.error({ err: error, path }, 'a changed feed could not be rendered to announce it')
        }
      }
      notifier!.notify(changed.map((path) => `${config.baseUrl}${path}`))
    })
    running.add(task)
    void task.finally(() => running.delete(task))
  }

  const onChange = (catalog: Catalog) => {
    const previous = current
    current = catalog
    if (previous.version === catalog.version) return
    const purged = purger ? purger.purge(listChangedKeys(previous, catalog)) : Promise.resolve()
    if (notifier) announceFeeds(previous, catalog, purged)
  }
  if (purger || notifier) store.on('change', onChange)
  return {
    async idle() {
      while (running.size > 0) await Promise.allSettled([...running])
      await purger?.idle()
      await notifier?.idle()
    },
    close() {
      store.off('change', onChange)
      purger?.close()
      notifier?.close()
    },
  }
}
