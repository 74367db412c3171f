import { readFile } from 'node:fs/promises'
import cors from 'cors'
import express, { type ErrorRequestHandler, type Request, type Response } from 'express'
import { ipKeyGenerator, rateLimit } from 'express-rate-limit'
import Negotiator from 'negotiator'
import { z } from 'zod'
import type { Config } from '../config.js'
import type { ContentStore } from '../content/content-store.js'
import type { Catalog } from '../content/build-catalog.js'
import { formatZodIssues } from '../content/format-problem.js'
import type { Logger } from '../logger.js'
import type { ArticleRenderer } from '../markdown/render-article.js'
import { mediaPathPrefix } from '../markdown/resolve-url.js'
import { DocumentError, listDocumentPaths, mediaTypeOfFile, resolveDocument, type CachePolicy } from '../site/site-documents.js'
import { evaluatePreconditions } from './conditional.js'
import { createRepresentation, type Coding, type Representation } from './representation.js'

/** What `createApp` serves. */
export interface AppOptions {
  config: Config
  store: ContentStore
  renderer: ArticleRenderer
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
export function createApp({ config, store, renderer, logger }: AppOptions): express.Express {
  const app = express()
  app.disable('x-powered-by')
  // Our own validators are computed once per version; Express's would hash every body again.
  app.set('etag', false)
  app.set('query parser', 'simple')
  app.set('trust proxy', config.trustProxy)

  const cacheControl: Record<CachePolicy, string> = {
    feed: `public, max-age=${config.http.maxAge}, stale-while-revalidate=${config.http.staleWhileRevalidate}`,
    page: `public, max-age=${config.http.maxAge}, stale-while-revalidate=${config.http.staleWhileRevalidate}`,
    immutable: 'public, max-age=31536000, immutable',
  }

  // Representations of the current catalog version; replaced whole when content changes.
  let cachedVersion = ''
  let cache = new Map<string, Representation | null>()
  // Only the paths the catalog publishes are stored. Any other spelling (an unknown path, a
  // page number on a page, a percent-encoded slug) is answered but not kept: each one a
  // client makes up would otherwise add an entry until the next content change.
  let publishedPaths = new Set<string>()
  const representationsOf = (catalog: Catalog) => {
    if (catalog.version !== cachedVersion) {
      cachedVersion = catalog.version
      cache = new Map()
      publishedPaths = new Set(listDocumentPaths({ config, catalog, renderer }))
    }
    return cache
  }

  // JSON Feed is for programs, browsers included: any origin may read it, and its
  // validators, so a script can poll with If-None-Match (which needs a preflight).
  const allowAnyOrigin = cors({ origin: '*', methods: ['GET', 'HEAD'], exposedHeaders: ['ETag', 'Last-Modified', 'Link', 'Retry-After'], maxAge: 86_400 })
  app.use((req, res, next) => (req.path.endsWith('/feed.json') ? allowAnyOrigin(req, res, next) : next()))

  app.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').type('text/plain').send('ok\n')
  })

  app.get('/status', (_req, res) => {
    const catalog = store.catalog
    res
      .set('Cache-Control', 'no-store')
      .type('application/json')
      .send(
        `${JSON.stringify(
          {
            version: catalog.version,
            articles: catalog.articles.length,
            problems: [...catalog.problems, ...catalog.articles.flatMap((article) => (renderer.isRendered(article) ? renderer.render(article).problems : []))],
          },
          null,
          2,
        )}\n`,
      )
  })

  if (config.http.rateLimit.enabled) {
    const { windowSeconds, max } = config.http.rateLimit
    app.use(
      rateLimit({
        windowMs: windowSeconds * 1000,
        limit: max,
        standardHeaders: 'draft-7',
        legacyHeaders: false,
        // Per client and per URL: a reader polling one feed too often is throttled on that feed only.
        // ipKeyGenerator groups an IPv6 client's /56, as one IPv6 host can use many addresses.
        keyGenerator: (req) => `${ipKeyGenerator(req.ip ?? '')} ${req.path}`,
        handler: (req, res) => {
          sendError(req, res, 429, `too many requests for ${req.path}; poll at most ${max} times per ${windowSeconds} s`)
        },
      }),
    )
  }

  app.get(`${mediaPathPrefix}{*file}`, async (req, res, next) => {
    const catalog = store.catalog
    const file = req.path.slice(mediaPathPrefix.length)
    const media = catalog.media.get(decodeURIComponent(file))
    if (!media) return next()
    const cache = representationsOf(catalog)
    const key = `media:${media.path}`
    let representation = cache.get(key)
    if (!representation) {
      representation = createRepresentation({
        body: await readFile(media.absolutePath),
        mediaType: mediaTypeOfFile(media.path),
        lastModified: media.mtime,
        cacheControl: cacheControl.immutable,
        links: [],
      })
      cache.set(key, representation)
    }
    send(req, res, representation)
  })

  app.get('/{*path}', (req, res, next) => {
    const query = querySchema.safeParse(req.query)
    if (!query.success) return sendError(req, res, 400, `query: ${formatZodIssues(query.error.issues).join('; ')}`)
    const page = query.data.page
    const catalog = store.catalog
    const cache = representationsOf(catalog)
    const key = page === undefined ? req.path : `${req.path}?page=${page}`
    let representation = cache.get(key)
    if (representation === undefined) {
      let document
      try {
        document = resolveDocument({ config, catalog, renderer }, req.path, page)
      } catch (error) {
        if (error instanceof DocumentError) return sendError(req, res, error.status, error.message)
        throw error
      }
      representation = document ? createRepresentation({ ...document, cacheControl: cacheControl[document.cache] }) : null
      if (publishedPaths.has(key)) cache.set(key, representation)
    }
    if (!representation) return next()
    send(req, res, representation)
  })

  app.use((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.set('Allow', 'GET, HEAD')
      return sendError(req, res, 405, `${req.method} is not allowed; this service only publishes (GET, HEAD)`)
    }
    sendError(req, res, 404, `nothing is published at ${req.path}`)
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

/** Answer with a representation: validators, caching, negotiation of the coding, 304 and HEAD. */
function send(req: Request, res: Response, representation: Representation): void {
  const coding = chooseCoding(req, representation)
  const xmlFeed = xmlFeedType.test(representation.mediaType)
  const asPlainXml = xmlFeed && prefersPlainXml(req, representation.mediaType)
  // Another media type is another representation, so another strong ETag.
  const etags = asPlainXml ? (Object.fromEntries(Object.entries(representation.etags).map(([key, tag]) => [key, tag.replace(/"$/, '-xml"')])) as Representation['etags']) : representation.etags
  res.set('Content-Type', asPlainXml ? 'application/xml; charset=utf-8' : representation.mediaType)
  res.set('ETag', etags[coding])
  if (representation.lastModified) res.set('Last-Modified', representation.lastModified)
  res.set('Cache-Control', representation.cacheControl)
  const vary = [...(xmlFeed ? ['Accept'] : []), ...(representation.worthCompressing ? ['Accept-Encoding'] : [])]
  if (vary.length > 0) res.set('Vary', vary.join(', '))
  if (representation.links.length > 0) res.set('Link', representation.links.join(', '))
  const result = evaluatePreconditions(req.headers, Object.values(etags), representation.lastModified)
  if (result === 'failed') {
    res.status(412).end()
    return
  }
  if (result === 'not-modified') {
    res.removeHeader('Content-Type')
    res.status(304).end()
    return
  }
  const body = representation.body(coding)
  if (coding !== 'identity') res.set('Content-Encoding', coding)
  res.set('Content-Length', String(body.length))
  if (req.method === 'HEAD') res.end()
  else res.end(body)
}

const xmlFeedType = /^application\/(rss|atom)\+xml\b/

/**
 * Whether a browser is asking for an RSS or Atom feed, which then gets the same bytes as
 * `application/xml`: Chromium shows `application/rss+xml` and `application/atom+xml` as
 * plain text, so the feed's xml-stylesheet (/feed.css, with its "how to subscribe" note)
 * never applies. Browsers ask for `application/xml;q=0.9` over `*\/*;q=0.8`; feed readers
 * name the feed's type or state no preference, and keep it.
 */
function prefersPlainXml(req: Request, mediaType: string): boolean {
  const feedType = mediaType.split(';')[0]!.trim()
  return new Negotiator(req).mediaType([feedType, 'application/xml']) === 'application/xml'
}

const codings: Coding[] = ['br', 'gzip', 'identity']

function chooseCoding(req: Request, representation: Representation): Coding {
  if (!representation.worthCompressing || req.headers['accept-encoding'] === undefined) return 'identity'
  // Between codings the client weighs equally, ours decide: brotli is the smallest.
  // @types/negotiator lags behind negotiator 1.1, which takes the server preference as a second argument.
  const negotiator = new Negotiator(req) as unknown as { encodings(available: string[], options: { preferred: string[] }): string[] }
  const coding = negotiator.encodings(codings, { preferred: codings })[0]
  return coding === 'br' || coding === 'gzip' ? coding : 'identity'
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
