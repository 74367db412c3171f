import type { Config } from '../config.js'
import { ContentStore, openContentStore } from '../content/content-store.js'
import { createApp, type CreditlineApp } from '../http/create-app.js'
import type { Logger } from '../logger.js'
import { formatProblem } from '../content/format-problem.js'
import { ArticleRenderer } from '../markdown/render-article.js'

/** A loaded site: its content, its renderer and the app that serves them. */
export interface Site {
  store: ContentStore
  renderer: ArticleRenderer
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
  const store = await (options.store ?? openContentStore(config, logger, options))
  const renderer = new ArticleRenderer(config.baseUrl, config.cacheDir)
  store.on('change', (catalog, changed) => {
    logger.info({ event: 'catalog', version: catalog.version, articles: catalog.articles.length, problems: catalog.problems.length }, 'content republished')
    renderer.retain((article) => catalog.bySlug.get(article.slug) === article)
    // Render edited articles now, so problems in their bodies are logged at once
    // (and listed by /status) rather than when a reader first asks for them.
    const files = new Set(changed)
    for (const article of catalog.articles) {
      if (!files.has(article.file)) continue
      try {
        for (const problem of renderer.render(article).problems) logger.warn({ event: 'problem', ...problem }, formatProblem(problem))
      } catch (error) {
        // A request renders it again and answers 500 if it still fails; the store goes on.
        logger.error({ err: error, file: article.file }, 'rendering failed')
      }
    }
  })
  const app = createApp({ config, store, renderer, logger })
  return { store, renderer, app, close: () => store.close() }
}
