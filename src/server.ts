import { ConfigError, loadConfig } from './config.js'
import { ContentStore } from './content/content-store.js'
import { formatProblem } from './content/format-problem.js'
import { createApp } from './http/create-app.js'
import { createLogger } from './logger.js'
import { ArticleRenderer } from './markdown/render-article.js'

/** Start the service: configuration, content, then the HTTP listener. */
async function main(): Promise<void> {
  let config
  try {
    config = loadConfig(process.env)
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`creditline: ${error.message}`)
      process.exit(1)
    }
    throw error
  }
  const logger = createLogger(config.logFormat)
  const store = await ContentStore.open({
    contentDir: config.contentDir,
    defaults: { language: config.site.language, author: config.site.author },
    logger,
    watch: config.watch,
  })
  for (const problem of store.catalog.problems) logger.warn({ event: 'problem', ...problem }, formatProblem(problem))
  const renderer = new ArticleRenderer(config.baseUrl, config.cacheDir)
  store.on('change', (catalog) => {
    logger.info({ event: 'catalog', version: catalog.version, articles: catalog.articles.length, problems: catalog.problems.length }, 'content republished')
    renderer.retain(catalog.articles)
  })
  const app = createApp({ config, store, renderer, logger })
  const server = app.listen(config.port, config.host, () => {
    logger.info({ event: 'listening', url: config.baseUrl, port: config.port, articles: store.catalog.articles.length }, `Creditline serving ${store.catalog.articles.length} articles on ${config.baseUrl}`)
  })
  server.on('error', (error) => {
    logger.fatal({ err: error }, 'cannot listen')
    process.exit(1)
  })
  // Finish in-flight requests, then exit; idle keep-alive connections are closed at once.
  const shutdown = (signal: string) => {
    logger.info({ event: 'shutdown', signal }, 'shutting down')
    server.close(() => process.exit(0))
    server.closeIdleConnections()
    void store.close()
    setTimeout(() => process.exit(0), 10_000).unref()
  }
  process.once('SIGTERM', () => shutdown('SIGTERM'))
  process.once('SIGINT', () => shutdown('SIGINT'))
}

await main()
