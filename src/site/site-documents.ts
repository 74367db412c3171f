import { readFileSync } from 'node:fs'
import type { Config } from '../config.js'
import type { Catalog, MediaFile } from '../content/catalog.js'
import { lastModifiedOf } from '../dates.js'
import { ContentFileError } from '../content/content-jail.js'
import { writeAtom } from '../feeds/atom.js'
import { fitFeedBudget } from '../feeds/feed-budget.js'
import type { FragmentStore } from '../feeds/fragment-store.js'
import { buildFeedDocument, feedFileNames, feedMediaTypes, feedPath, listPagePath, paginate, selectArticles, siteScope, topicScope, type FeedFormat, type FeedPage, type FeedScope } from '../feeds/feed-model.js'
import type { Article } from '../content/parse-article.js'
import { listDocumentKeys } from '../http/surrogate-keys.js'
import { writeJsonFeed } from '../feeds/json-feed.js'
import { writeRss } from '../feeds/rss.js'
import { hasText, type ArticleRenderer } from '../markdown/render-article.js'
import { mediaPathPrefix } from '../markdown/resolve-url.js'
import { renderArticlePage } from '../pages/article-page.js'
import { feedAlternates } from '../pages/layout.js'
import { articlePath } from '../content/slugify-name.js'
import { countListPages, renderListPage } from '../pages/list-page.js'
import { renderAboutPage } from '../pages/about-page.js'
import { iconContentPath, readDefaultIconSvg, readSiteIconPng, siteIconPaths, toIco } from '../feeds/site-icon.js'

/** How long a response may be cached: feeds and pages change, archives and media do not. */
export type CachePolicy = 'feed' | 'page' | 'immutable'

/** One response body the service can send, before compression and validators. */
export interface SiteDocument {
  body: Buffer
  mediaType: string
  /** Newest article it holds (or file time for media). */
  lastModified: Date | undefined
  cache: CachePolicy
  /** `Link` header values. */
  links: string[]
  /** Whether browsers on other origins may read it (JSON Feed). */
  cors: boolean
  /**
   * The path it is published at, with `?page=N` for JSON Feed pages. Another spelling
   * of the same request (percent-encoded, `?page=1`) gets the same bytes, but a cache
   * should keep only this one, or every spelling a client makes up would add an entry.
   */
  path: string
  /** Surrogate keys: what it depends on, for shared caches to purge (see surrogate-keys). */
  keys: string[]
  /**
   * `false` when it may be neither kept nor cached: an article in it could not be read
   * (a file being saved, a folder renamed for a moment), so the next request makes it
   * again rather than a cache keeping it for a day. Absent, it may.
   */
  cacheable?: false | undefined
}

/** Everything needed to produce documents for one catalog version. */
export interface SiteContext {
  config: Pick<Config, 'baseUrl' | 'site' | 'feed'> & Partial<Pick<Config, 'websub'>>
  catalog: Catalog
  renderer: ArticleRenderer
  /**
   * Serialized RSS and Atom items kept on disk: the static export keeps them between its
   * runs. The server keeps them in memory only, with their render, since it serializes
   * only the items of the documents asked for.
   */
  fragments?: FragmentStore | undefined
}

// JSON Feed items take no store: making the key (the item as JSON) costs as much as the item.
const writers: Record<FeedFormat, (document: Parameters<typeof writeRss>[0], store: FragmentStore | undefined) => Buffer> = {
  rss: writeRss,
  atom: writeAtom,
  json: (document) => writeJsonFeed(document),
}

const assetsDir = new URL('../../assets/', import.meta.url)
const assets: Record<string, { file: string; mediaType: string }> = {
  '/feed.css': { file: 'feed.css', mediaType: 'text/css; charset=utf-8' },
  '/style.css': { file: 'style.css', mediaType: 'text/css; charset=utf-8' },
}

const fileByFormat = new Map<string, FeedFormat>(Object.entries(feedFileNames).map(([format, file]) => [file, format as FeedFormat]))

/** A document lookup that failed, with the status to answer. */
export class DocumentError extends Error {
  constructor(
    readonly status: 400 | 404 | 503,
    message: string,
  ) {
    super(message)
  }
}

/**
 * Produce the document served at `pathname` (with JSON Feed's `page` query), or
 * `undefined` when nothing lives there.
 *
 * @throws DocumentError for a malformed request (an invalid page number), or an article
 *   whose text cannot be published now (503): never a page without its text
 */
export function resolveDocument(context: SiteContext, pathname: string, page: number | undefined): SiteDocument | undefined {
  const { config, catalog, renderer } = context
  const { baseUrl } = config
  if (pathname.startsWith(mediaPathPrefix)) return undefined
  const asset = assets[pathname]
  if (asset) return { body: readFileSync(new URL(asset.file, assetsDir)), mediaType: asset.mediaType, lastModified: undefined, cache: 'page', links: [], cors: false, path: pathname, keys: listDocumentKeys('asset') }
  const icon = iconDocument(context, pathname)
  if (icon) return icon
  if (pathname === '/about') return htmlDocument('/about', renderAboutPage(config), undefined, [], listDocumentKeys('page'))

  const segments = decodeSegments(pathname)
  if (!segments) return undefined
  if (segments[0] === 'articles' && segments.length === 2) {
    const article = catalog.bySlug.get(segments[1]!)
    if (!article) return undefined
    const rendered = renderer.render(article)
    if (!hasText(rendered)) throw new DocumentError(503, `the text of ${articlePath(article.slug)} cannot be published now: ${rendered.problems[0]?.message ?? 'its body is missing'}`)
    return htmlDocument(articlePath(article.slug), renderArticlePage(config, renderer, article), lastModifiedOf([article]), alternateLinks(baseUrl, '', config.site.title), listDocumentKeys('page', { slugs: [article.slug] }), rendered.lasting)
  }
  // What remains is a scope (site, tag, author) followed by a page, a feed or an archive.
  let scope: FeedScope | undefined = siteScope(config.site, catalog.articles)
  let rest = segments
  if (segments[0] === 'tags' || segments[0] === 'authors') {
    const topic = (segments[0] === 'tags' ? catalog.tags : catalog.authors).get(segments[1] ?? '')
    scope = topic ? topicScope(config.site, topic) : undefined
    rest = segments.slice(2)
    if (!scope) return undefined
    if (rest.length === 0) return htmlDocument(scope.pagePath, renderListPage(config, renderer, scope), listModified(catalog, lastModifiedOf(scope.articles)), alternateLinks(baseUrl, scope.prefix, scope.title), listPageKeys(scope, scope.articles.slice(0, config.feed.size)), allLasting(renderer, scope.articles.slice(0, config.feed.size)))
  } else if (pathname === '/') {
    return htmlDocument('/', renderListPage(config, renderer, scope), listModified(catalog, lastModifiedOf(scope.articles)), alternateLinks(baseUrl, '', scope.title), listPageKeys(scope, scope.articles.slice(0, config.feed.size)), allLasting(renderer, scope.articles.slice(0, config.feed.size)))
  }
  if (rest.length === 2 && rest[0] === 'page' && /^[1-9][0-9]*$/.test(rest[1]!)) {
    // Page 1 is the scope's own page: /page/1 is not a second address for it.
    const number = Number(rest[1])
    if (number < 2 || number > countListPages(scope, config.feed.size)) return undefined
    const shown = scope.articles.slice((number - 1) * config.feed.size, number * config.feed.size)
    return htmlDocument(listPagePath(scope, number), renderListPage(config, renderer, scope, number), listModified(catalog, lastModifiedOf(shown)), alternateLinks(baseUrl, scope.prefix, scope.title), listPageKeys(scope, shown), allLasting(renderer, shown))
  }
  if (rest.length === 1) {
    const format = fileByFormat.get(rest[0]!)
    if (!format) return undefined
    if (page !== undefined && format !== 'json') throw new DocumentError(400, 'the page parameter applies to JSON Feed only; RSS and Atom archives are linked with rel="prev-archive"')
    return feedDocument(context, scope, format, page === undefined ? { kind: 'current' } : { kind: 'page', number: page })
  }
  if (rest.length === 3 && rest[0] === 'archive' && /^[1-9][0-9]*$/.test(rest[1]!)) {
    const format = fileByFormat.get(rest[2]!)
    if (format !== 'rss' && format !== 'atom') return undefined
    return feedDocument(context, scope, format, { kind: 'archive', number: Number(rest[1]) })
  }
  return undefined
}

/**
 * Every path the service answers for this catalog (besides `/media/`), for the static
 * export: pages, feeds, topic feeds, archives and JSON Feed pages.
 */
export function listDocumentPaths(context: SiteContext): string[] {
  const { catalog, config } = context
  const paths = ['/', '/about', ...Object.keys(assets), siteIconPaths.png, siteIconPaths.ico, ...(config.site.icon === undefined ? [siteIconPaths.svg] : [])]
  for (const article of catalog.articles) paths.push(articlePath(article.slug))
  const scopes: FeedScope[] = [siteScope(config.site, catalog.articles)]
  // By slug: the order of a catalog's maps depends on the edits it went through.
  for (const topics of [catalog.tags, catalog.authors]) {
    for (const topic of [...topics.values()].sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0))) scopes.push(topicScope(config.site, topic))
  }
  for (const scope of scopes) {
    if (scope.prefix !== '') paths.push(scope.pagePath)
    for (let number = 2; number <= countListPages(scope, config.feed.size); number++) paths.push(listPagePath(scope, number))
    const { archiveCount, pageCount } = paginate(scope.articles.length, config.feed.size)
    for (const format of ['rss', 'atom', 'json'] as const) paths.push(feedPath(scope.prefix, format))
    for (let number = 2; number <= pageCount; number++) paths.push(feedPath(scope.prefix, 'json', { kind: 'page', number }))
    for (let number = 1; number <= archiveCount; number++) {
      paths.push(feedPath(scope.prefix, 'rss', { kind: 'archive', number }), feedPath(scope.prefix, 'atom', { kind: 'archive', number }))
    }
  }
  return paths
}

/** The site icon at one of its paths (see `siteIconPaths`), or `undefined` for another path or a configured icon gone from the content folder. */
function iconDocument({ config, catalog }: SiteContext, pathname: string): SiteDocument | undefined {
  const { icon } = config.site
  const file = icon === undefined ? undefined : catalog.media.get(iconContentPath(icon))
  if (icon !== undefined && !file) return undefined
  const document = (body: Buffer, mediaType: string): SiteDocument => ({ body, mediaType, lastModified: file?.mtime, cache: 'page', links: [], cors: false, path: pathname, keys: listDocumentKeys('asset', file ? { mediaPath: file.path } : {}) })
  if (pathname === siteIconPaths.png || pathname === siteIconPaths.ico) {
    const png = readIconOrNothing(file)
    if (!png) return undefined
    return pathname === siteIconPaths.png ? document(png, 'image/png') : document(toIco(png), 'image/x-icon')
  }
  if (pathname === siteIconPaths.svg && icon === undefined) return document(readDefaultIconSvg(), 'image/svg+xml; charset=utf-8')
  return undefined
}

/** The icon's PNG, or `undefined` when its file became a link since it was listed (the watcher reports it). */
function readIconOrNothing(file: MediaFile | undefined): Buffer | undefined {
  try {
    return readSiteIconPng(file)
  } catch (error) {
    if (error instanceof ContentFileError) return undefined
    throw error
  }
}

/**
 * The document at a path `listDocumentPaths` lists (`/feed.json?page=2` included), or
 * `undefined` for an article held back for its text (the server's 503): the export and
 * the checks of every document leave it out, as the server leaves it out of feeds and lists.
 *
 * @throws Error when a listed path is not answered: the list and the resolver disagree
 */
export function resolveListedDocument(context: SiteContext, urlPath: string): SiteDocument | undefined {
  const queryAt = urlPath.indexOf('?')
  const pathname = queryAt === -1 ? urlPath : urlPath.slice(0, queryAt)
  const page = queryAt === -1 ? null : new URLSearchParams(urlPath.slice(queryAt + 1)).get('page')
  let document
  try {
    document = resolveDocument(context, pathname, page === null ? undefined : Number(page))
  } catch (error) {
    if (error instanceof DocumentError && error.status === 503) return undefined
    throw error
  }
  if (!document) throw new Error(`listDocumentPaths lists ${urlPath}, which resolveDocument does not answer`)
  return document
}

/** Path segments, percent-decoded (slugs may be non-Latin); `undefined` for a malformed escape. */
function decodeSegments(pathname: string): string[] | undefined {
  try {
    return pathname.split('/').slice(1).map(decodeURIComponent)
  } catch {
    return undefined
  }
}

function feedDocument(context: SiteContext, scope: FeedScope, format: FeedFormat, page: FeedPage): SiteDocument | undefined {
  const document = buildFeedDocument(context.config, context.renderer, scope, format, page, context.catalog.media)
  if (!document) return undefined
  const body = fitFeedBudget(document, (fitted) => writers[format](fitted, context.fragments), context.config.feed.maxBytes)
  // A full archive never changes; a partial one (the newest) still grows.
  const full = page.kind === 'archive' && document.items.length === context.config.feed.size
  return {
    body,
    mediaType: feedMediaTypes[format],
    lastModified: listModified(context.catalog, document.lastModified),
    cache: full ? 'immutable' : 'feed',
    links: [`<${document.selfUrl}>; rel="self"; type="${feedMediaTypes[format].split(';')[0]}"`, ...document.hubs.map((hub) => `<${hub}>; rel="hub"`)],
    cors: format === 'json',
    path: feedPath(scope.prefix, format, page),
    keys: listDocumentKeys(page.kind === 'archive' ? 'archive' : 'feed', { scopePrefix: scope.prefix, slugs: (selectArticles(scope.articles, context.config.feed.size, page) ?? []).map((article) => article.slug) }),
    ...(document.lasting ? {} : { cacheable: false }),
  }
}

/** The keys of a list page: its list, and the articles it shows. */
function listPageKeys(scope: FeedScope, shown: Article[]): string[] {
  return listDocumentKeys('page', { scopePrefix: scope.prefix, slugs: shown.map((article) => article.slug) })
}

/**
 * `Last-Modified` of a list of articles (a feed, an archive, a list page): the newest
 * change among them, or the last time an article left the catalog if later (see `Catalog.retiredAt`).
 */
function listModified(catalog: Catalog, newest: Date | undefined): Date | undefined {
  const { retiredAt } = catalog
  return retiredAt && (!newest || retiredAt > newest) ? retiredAt : newest
}

function htmlDocument(path: string, html: string, lastModified: Date | undefined, links: string[], keys: string[], lasting = true): SiteDocument {
  return { body: Buffer.from(html), mediaType: 'text/html; charset=utf-8', lastModified, cache: 'page', links, cors: false, path, keys, ...(lasting ? {} : { cacheable: false }) }
}

/** Whether every article of a list page has its lasting render (renders are kept, so this costs no second one). */
function allLasting(renderer: ArticleRenderer, articles: ReadonlyArray<Article>): boolean {
  return articles.every((article) => renderer.render(article).lasting)
}

function alternateLinks(baseUrl: string, prefix: string, title: string): string[] {
  return feedAlternates(baseUrl, prefix, title).map((feed) => `<${feed.href}>; rel="alternate"; type="${feed.type}"; title*=${encodeExtValue(feed.title)}`)
}

/**
 * An RFC 8187 ext-value (`UTF-8''…`). By hand because no installed library exports one;
 * `encodeURIComponent` alone leaves `'()*` as they are, which are not attr-chars.
 */
function encodeExtValue(value: string): string {
  return `UTF-8''${encodeURIComponent(value).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)}`
}
