import { createServer } from 'node:http'
import { ConfigError, loadConfig } from './config.js'
import { openContentStore } from './content/content-store.js'
import { formatProblem } from './content/format-problem.js'
import { createLogger } from './logger.js'

/** Start the service: configuration, content, then the HTTP listener. */
async function main(): Promise<void> {
  let config
  try {
    config = loadConfig(process.env, process.cwd(), { requireBaseUrlInProduction: true })
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`creditline: ${error.message}`)
      process.exit(1)
    }
    throw error
  }
  const logger = createLogger(config.logFormat)
  // Content first: its file reads are under way while this thread loads the modules that
  // serve it (Express, the feed writers, the renderer).
  const store = openContentStore(config, logger)
  // Its failure is reported where it is awaited, below; not as unhandled meanwhile.
  store.catch(() => undefined)
  const [{ openSite }, { createRequestListener }, { trackResponses }] = await Promise.all([
    import('./site/open-site.js'),
    import('./http/create-app.js'),
    import('./http/graceful-shutdown.js'),
  ])
  let site
  try {
    site = await openSite(config, logger, { store })
  } catch (error) {
    // Without its content folder the service has nothing to publish: say so plainly.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && (error as NodeJS.ErrnoException).path === config.contentDir) {
      console.error(`creditline: the content folder ${config.contentDir} does not exist (set CONTENT_DIR, or create it)`)
      process.exit(1)
    }
    throw error
  }
  const { catalog } = site.store
  for (const problem of catalog.problems) logger.warn({ event: 'problem', ...problem }, formatProblem(problem))
  const server = createServer(createRequestListener(site.app))
  server.listen(config.port, config.host, () => {
    logger.info({ event: 'listening', url: config.baseUrl, port: config.port, articles: catalog.articles.length }, `Creditline serving ${catalog.articles.length} articles on ${config.baseUrl}`)
  })
  server.on('error', (error) => {
    logger.fatal({ err: error }, 'cannot listen')
    process.exit(1)
  })
  const graceful = trackResponses(server)
  // Finish the responses in flight, then exit; a stuck client gets ten seconds.
  const shutdown = async (signal: string) => {
    logger.info({ event: 'shutdown', signal }, 'shutting down')
    setTimeout(() => process.exit(0), 10_000).unref()
    await Promise.all([graceful.stop(), site.close()])
    logger.info({ event: 'stopped' }, 'stopped')
    process.exit(0)
  }
  process.once('SIGTERM', () => void shutdown('SIGTERM'))
  process.once('SIGINT', () => void shutdown('SIGINT'))
}

await main()
