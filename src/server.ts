import { ConfigError, loadConfig } from './config.js'
import { formatProblem } from './content/format-problem.js'
import { createLogger } from './logger.js'
import { openSite } from './site/open-site.js'

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
  const site = await openSite(config, logger)
  const { catalog } = site.store
  for (const problem of catalog.problems) logger.warn({ event: 'problem', ...problem }, formatProblem(problem))
  const server = site.app.listen(config.port, config.host, () => {
    logger.info({ event: 'listening', url: config.baseUrl, port: config.port, articles: catalog.articles.length }, `Creditline serving ${catalog.articles.length} articles on ${config.baseUrl}`)
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
    void site.close()
    setTimeout(() => process.exit(0), 10_000).unref()
  }
  process.once('SIGTERM', () => shutdown('SIGTERM'))
  process.once('SIGINT', () => shutdown('SIGINT'))
}

await main()
