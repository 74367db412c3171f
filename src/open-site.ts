import type { Config } from './config.js'
import { ContentStore, openContentStore } from './content/content-store.js'
import { createApp, type CreditlineApp } from './http/create-app.js'
import type { Logger } from './logger.js'
import { ArticleRenderer } from './markdown/render-article.js'
import { renderLimitsOf } from './markdown/render-pool.js'
import { RenderCache } from './markdown/render-cache.js'
import { ProblemAudit } from './site/problem-audit.js'

/** A loaded site: its content, its renderer and the app that serves them. */
export interface Site {
  store: ContentStore
  renderer: ArticleRenderer
  /** Every problem of the content, as `check` lists them (see `ProblemAudit`). */
  audit: ProblemAudit
  app: CreditlineApp
  /** Stop watching content. */
  close(): Promise<void>
}

/**
 * Load the content folder named by `config` and build the app around it; nothing
 * listens yet. Shared by the server, the CLI and the tests, so they all serve the same bytes.
 *
 * @param options.now the clock for scheduled articles (tests pin it)
 * @param options.store the content, when the caller started loading it (see `openContentStore`)
 */
export async function openSite(config: Config, logger: Logger, options: { now?: () => Date; store?: Promise<ContentStore> } = {}): Promise<Site> {
  const startedAt = Date.now()
  const store = await (options.store ?? openContentStore(config, logger, options))
  const renderer = new ArticleRenderer({ baseUrl: config.baseUrl, cacheDir: config.cacheDir, limits: renderLimitsOf(config) })
  const audit = new ProblemAudit({ store, renderer, config, logger, now: options.now ?? (() => new Date()) })
  store.on('change', (catalog, changed) => {
    logger.info({ event: 'catalog', version: catalog.version, articles: catalog.articles.length, problems: catalog.problems.length }, 'content republished')
    renderer.retain((article) => catalog.bySlug.get(article.slug) === article)
    // Render edited articles now, so problems in their bodies are logged at once
    // (and listed by /status) rather than when a reader first asks for them.
    audit.update(changed)
  })
  audit.start()
  // Every article rendered once: the renders on disk that none used are of old versions.
  void audit.checked.then(async (complete) => {
    if (!complete || config.cacheDir === undefined) return
    const removed = await new RenderCache(config.cacheDir).removeUnused(startedAt)
    if (removed > 0) logger.info({ event: 'cache-pruned', removed }, `${removed} unused renders removed from the cache`)
  }).catch((error: unknown) => logger.warn({ err: error }, 'pruning the render cache failed'))
  const app = createApp({ config, store, renderer, audit, logger })
  return {
    store,
    renderer,
    audit,
    app,
    close: async () => {
      audit.close()
      await Promise.all([store.close(), renderer.close()])
    },
  }
}
