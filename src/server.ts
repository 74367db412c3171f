import { createServer } from 'node:http'
import { openCacheFolder } from './cache-folder.js'
import { ConfigError, loadConfig, type Config } from './config.js'
import { openContentStore } from './content/content-store.js'
import { createLogger } from './logger.js'

/** Start the service: configuration, content, then the HTTP listener. */
async function main(): Promise<void> {
  let config: Config
  try {
    config = loadConfig(process.env, process.cwd(), { requireBaseUrlInProduction: true })
  } catch (error) {
    if (error instanceof ConfigError) exitWith(error.message)
    throw error
  }
  const logger = createLogger(config.logFormat)
  // An unusable cache folder costs speed, not the service.
  const cache = openCacheFolder(config.cacheDir)
  if (cache.warning !== undefined) logger.warn({ event: 'cache-unusable', dir: config.cacheDir }, `CACHE_DIR: ${cache.warning}`)
  config = { ...config, cacheDir: cache.dir }
  // Content first: its file reads are under way while this thread loads the modules that
  // serve it (Express, the feed writers, the renderer).
  const store = openContentStore(config, logger)
  // Its failure is reported where it is awaited, below; not as unhandled meanwhile.
  store.catch(() => undefined)
  const [{ openSite }, { createRequestListener }, { trackResponses }, { announceChanges }] = await Promise.all([
    import('./open-site.js'),
    import('./http/create-app.js'),
    import('./http/graceful-shutdown.js'),
    import('./publish/announce-changes.js'),
  ])
  let site
  try {
    site = await openSite(config, logger, { store })
  } catch (error) {
    // Without its content folder the service has nothing to publish: say so plainly.
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' && (error as NodeJS.ErrnoException).path === config.contentDir) exitWith(`the content folder ${config.contentDir} does not exist (set CONTENT_DIR, or create it)`)
    if (typeof code === 'string' && code.startsWith('E')) exitWith(`the content folder ${config.contentDir} cannot be read (CONTENT_DIR): ${(error as Error).message}`)
    throw error
  }
  const { catalog } = site.store
  // Caches to purge and WebSub hubs to ping when content changes (none by default).
  const announcer = announceChanges({ config, store: site.store, renderer: site.renderer, logger })
  const server = createServer(createRequestListener(site.app))
  server.listen(config.port, config.host, () => {
    logger.info({ event: 'listening', url: config.baseUrl, port: config.port, articles: catalog.articles.length }, `Creditline serving ${catalog.articles.length} articles on ${config.baseUrl}`)
  })
  server.on('error', (error) => {
    // HOST or PORT cannot be used (taken, no such address): one line, as for a bad setting.
    exitWith(`cannot listen on ${config.host}:${config.port} (HOST, PORT): ${error.message}`)
  })
  const graceful = trackResponses(server)
  // Finish the responses in flight, then exit; a stuck client gets ten seconds.
  const shutdown = async (signal: string) => {
    logger.info({ event: 'shutdown', signal }, 'shutting down')
    setTimeout(() => process.exit(0), 10_000).unref()
    announcer.close()
    await Promise.all([graceful.stop(), site.close()])
    logger.info({ event: 'stopped' }, 'stopped')
    process.exit(0)
  }
  process.once('SIGTERM', () => void shutdown('SIGTERM'))
  process.once('SIGINT', () => void shutdown('SIGINT'))
}

/** A setting the service cannot start with: one line naming it, no stack trace, exit code 1. */
function exitWith(message: string): never {
  console.error(`creditline: ${message}`)
  process.exit(1)
}

await main()
