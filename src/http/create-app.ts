import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http'
import cors from 'cors'
import express, { type ErrorRequestHandler, type Request, type Response } from 'express'
import { z } from 'zod'
import type { Config } from '../config.js'
import type { ContentStore } from '../content/content-store.js'
import type { Catalog } from '../content/catalog.js'
import { listAliases } from '../content/article-aliases.js'
import { ContentFileError, readContentFile } from '../content/content-jail.js'
import { mediaTypeOfFile } from '../content/content-kind.js'
import { formatZodIssues } from '../zod-issues.js'
import { articlePath } from '../content/slugify-name.js'
import type { Logger } from '../logger.js'
import type { ArticleRenderer } from '../markdown/render-article.js'
import { mediaPathPrefix } from '../markdown/resolve-url.js'
import { DocumentError, listDocumentPaths, type CachePolicy } from '../site/site-documents.js'
import { resolvePreparedDocument } from '../site/resolve-prepared-document.js'
import { cacheControlOf, jsonFeedCorsHeaders, jsonFeedExposedHeaders } from './cache-policy.js'
import { normalizePath } from './normalize-path.js'
import { createRateLimit, type BoundedRateLimitStore } from './rate-limit.js'
import { createRepresentation } from './representation.js'
import { createRepresentationCache } from './representation-cache.js'
import { stripBasePath } from './base-path.js'
import { securityHeadersOf } from './security-headers.js'
import { sendRepresentation } from './send-representation.js'
import { maySeeStatus } from './status-access.js'
import type { ProblemAudit } from '../site/problem-audit.js'
import { listDocumentKeys } from './surrogate-keys.js'

/** The Express application, with the cache-only fast path the server puts in front of it. */
export type CreditlineApp = express.Express & {
  /**
   * Answer a request from the representations already built, without Express, and say
   * whether it did; `false` leaves the request to the app. See `createRequestListener`.
   */
  serveFromCache(req: IncomingMessage, res: ServerResponse): boolean
  /** The rate limit's counters, when the limit is on. */
  rateLimitStore: BoundedRateLimitStore | undefined
}

/**
 * The server's request listener: the fast path first, then Express. A poll that gets a
 * 304 is most of a feed service's traffic, and Express's routing costs several times what
 * answering it does; everything else (first renders, errors, media, rate limiting) goes
 * through Express.
 */
export function createRequestListener(app: CreditlineApp): RequestListener {
  return (req, res) => {
    if (!app.serveFromCache(req, res)) app(req, res)
  }
}

/** What `createApp` serves. */
export interface AppOptions {
  config: Config
  store: ContentStore
  renderer: ArticleRenderer
  /** The problems `GET /status` lists. */
  audit: ProblemAudit
  logger: Logger
}

const querySchema = z.object({
  page: z
    .string()
    .regex(/^[1-9][0-9]{0,6}$/, 'expected a page number: a whole number from 1')
    .transform(Number)
    .optional(),
})

/**
 * Build the Express application. It never listens: `server.ts` does, and tests drive
 * it in-process.
 */
export function createApp({ config, store, renderer, audit, logger }: AppOptions): CreditlineApp {
  const app = express() as CreditlineApp
  app.disable('x-powered-by')
  // Our own validators are computed once per version; Express's would hash every body again.
  app.set('etag', false)
  app.set('query parser', 'simple')
  app.set('trust proxy', config.trustProxy)
  if (config.basePath !== '') {
    // Every route below sees the path under the site's base path, as at the root.
    app.use((req, res, next) => {
      const inside = stripBasePath(req.url, config.basePath)
      if (inside === undefined) return sendError(req, res, 404, `nothing is published at ${req.originalUrl}; this site is under ${config.basePath}/`)
      req.url = inside
      next()
    })
  }

  const cacheControl: Record<CachePolicy, string> = {
    feed: cacheControlOf(config, 'feed'),
    page: cacheControlOf(config, 'page'),
    immutable: cacheControlOf(config, 'immutable'),
  }

  // Representations of the current catalog version; replaced whole when content changes.
  let cachedVersion = ''
  const cache = createRepresentationCache(config.http.memoryCacheMB * 2 ** 20)
  const representationsOf = (catalog: Catalog) => {
    if (catalog.version !== cachedVersion) {
      cachedVersion = catalog.version
      cache.clear()
    }
    return cache
  }

  // JSON Feed is for programs, browsers included: any origin may read it (see cache-policy).
  const allowAnyOrigin = cors({ origin: '*', methods: ['GET', 'HEAD'], exposedHeaders: jsonFeedExposedHeaders, maxAge: 86_400 })

  app.serveFromCache = (req, res) => {
    // Rate limiting lives in Express; plain paths only (a query may need validating).
    if (config.http.rateLimit.enabled || (req.method !== 'GET' && req.method !== 'HEAD')) return false
    const path = req.url === undefined ? undefined : stripBasePath(req.url, config.basePath)
    if (path === undefined || path.includes('?') || path.startsWith(mediaPathPrefix)) return false
    const catalog = store.catalog
    if (catalog.version !== cachedVersion) return false
    const representation = cache.get(path)
    if (!representation) return false
    // The same CORS headers the cors middleware sets on a JSON Feed GET.
    if (path.endsWith('/feed.json')) for (const [name, value] of Object.entries(jsonFeedCorsHeaders)) res.setHeader(name, value)
    try {
      sendRepresentation(req, res, representation)
    } catch (error) {
      // Nothing sent yet: let Express answer, and log, as for any other request.
      if (!res.headersSent) return false
      logger.error({ err: error, path }, 'request failed')
      res.destroy()
    }
    return true
  }
  // Answers that are no representation (errors, /healthz, /status) get the strictest
  // headers; a representation sends those of its own type in their place.
  const baseSecurityHeaders = Object.entries(securityHeadersOf(''))
  app.use((_req, res, next) => {
    for (const [name, value] of baseSecurityHeaders) res.setHeader(name, value)
    next()
  })
  app.use((req, res, next) => (req.path.endsWith('/feed.json') ? allowAnyOrigin(req, res, next) : next()))

  app.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').type('text/plain').send('ok\n')
  })

  // Anyone else gets the 404 of a path that does not exist (see `maySeeStatus`).
  app.get('/status', (req, res, next) => {
    if (!maySeeStatus(req, config.statusToken)) return next()
    const catalog = store.catalog
    res
      .set('Cache-Control', 'no-store')
      .type('application/json')
      .send(
        `${JSON.stringify(
          {
            version: catalog.version,
            articles: catalog.articles.length,
            // The list `check` prints; `pending` articles are not rendered yet after a start.
            ...audit.list(),
          },
          null,
          2,
        )}\n`,
      )
  })

  app.rateLimitStore = undefined
  if (config.http.rateLimit.enabled) {
    const { middleware, store: counters } = createRateLimit({
      ...config.http.rateLimit,
      isPublished: (path) => isPublished(store.catalog, path),
      onLimited: (req, res, message) => sendError(req, res, 429, message),
    })
    app.rateLimitStore = counters
    app.use(middleware)
  }

  // Normalized paths of the documents of a catalog, made when the limit first needs them.
  const publishedPaths = new WeakMap<Catalog, Set<string>>()
  const isPublished = (catalog: Catalog, path: string): boolean => {
    if (path.startsWith(mediaPathPrefix)) return catalog.media.has(path.slice(mediaPathPrefix.length))
    let paths = publishedPaths.get(catalog)
    if (!paths) {
      paths = new Set(listDocumentPaths({ config, catalog, renderer }).map((listed) => normalizePath(listed) ?? listed))
      publishedPaths.set(catalog, paths)
    }
    return paths.has(path)
  }

  app.get(`${mediaPathPrefix}{*file}`, (req, res, next) => {
    const catalog = store.catalog
    const file = normalizePath(req.path.slice(mediaPathPrefix.length - 1))?.slice(1)
    const media = file === undefined ? undefined : catalog.media.get(file)
    if (!media) return next()
    const cache = representationsOf(catalog)
    const key = `media:${media.path}`
    let representation = cache.get(key)
    if (!representation) {
      let body: Buffer
      try {
        // Read through the jail: a file swapped for a link since it was listed is refused.
        body = readContentFile(config.contentDir, media.path)
      } catch (error) {
        if (error instanceof ContentFileError) return next()
        throw error
      }
      representation = createRepresentation({
        body,
        mediaType: mediaTypeOfFile(media.path),
        lastModified: media.mtime,
        cacheControl: cacheControl.immutable,
        links: [],
        keys: listDocumentKeys('media', { mediaPath: media.path }),
      })
      // The content may have changed during the read: never file old bytes under a new version.
      if (store.catalog.version === catalog.version) cache.set(key, representation)
    }
    sendRepresentation(req, res, representation)
  })

  // An article's earlier address (`aliases:`) moves permanently to its page.
  app.get('/articles/:slug', (req, res, next) => {
    const target = listAliases(store.catalog).get(req.params.slug)
    if (target === undefined) return next()
    res.set('Cache-Control', cacheControl.page).redirect(301, `${config.baseUrl}${articlePath(target)}`)
  })

  app.get('/{*path}', async (req, res, next) => {
    const query = querySchema.safeParse(req.query)
    if (!query.success) return sendError(req, res, 400, `query: ${formatZodIssues(query.error.issues).join('; ')}`)
    const page = query.data.page
    const key = page === undefined ? req.path : `${req.path}?page=${page}`
    let representation = representationsOf(store.catalog).get(key)
    if (representation === undefined) {
      let document
      // The catalog the document is made from: the current one after any wait for a render.
      let catalog = store.catalog
      try {
        // Large bodies render in a worker thread meanwhile: /healthz and the rest are answered.
        document = await resolvePreparedDocument(() => ({ config, catalog: (catalog = store.catalog), renderer }), req.path, page)
      } catch (error) {
        if (error instanceof DocumentError) return sendError(req, res, error.status, error.message)
        throw error
      }
      if (!document) return next()
      // A document with an article whose body could not be read (a file changing on
      // disk) is neither kept nor let be kept by caches: the next request makes it again.
      representation = createRepresentation({ ...document, cacheControl: document.cacheable === false ? 'no-store' : cacheControl[document.cache] })
      // Only a document's own path is stored. Any other spelling (a percent-encoded slug,
      // `?page=1`) is answered but not kept: each one a client makes up would otherwise
      // take room until the next content change.
      if (document.path === key && document.cacheable !== false && store.catalog === catalog) representationsOf(catalog).set(key, representation)
    }
    sendRepresentation(req, res, representation)
  })

  app.use((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.set('Allow', 'GET, HEAD')
      return sendError(req, res, 405, `${req.method} is not allowed; this service only publishes (GET, HEAD)`)
    }
    sendError(req, res, 404, `nothing is published at ${req.originalUrl}`)
  })

  const handleError: ErrorRequestHandler = (error, req, res, _next) => {
    // The router answers a path it cannot percent-decode with a 400 error: the client's mistake, not ours.
    const status = (error as { status?: unknown }).status
    if (typeof status === 'number' && status >= 400 && status < 500 && !res.headersSent) return sendError(req, res, status, (error as Error).message)
    logger.error({ err: error, path: req.path }, 'request failed')
    if (res.headersSent) return res.end()
    sendError(req, res, 500, 'internal error; it has been logged')
  }
  app.use(handleError)
  return app
}

/** An error as JSON for JSON clients and feed paths, as text otherwise. */
function sendError(req: Request, res: Response, status: number, message: string): void {
  res.status(status)
  // An error may be gone on the next request (a scheduled article, a fixed file): never cache it.
  res.set('Cache-Control', 'no-store')
  res.vary('Accept')
  if (req.path.endsWith('.json') || req.accepts(['html', 'json']) === 'json') {
    res.type('application/json').send(`${JSON.stringify({ error: { status, message } })}\n`)
    return
  }
  res.type('text/plain').send(`${status} ${message}\n`)
}
