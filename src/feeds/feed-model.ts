import type { Config } from '../config.js'
import type { MediaFile, Topic } from '../content/catalog.js'
import { lastChanged, lastModifiedOf, newestChange } from '../dates.js'
import type { Person, Source } from '../content/front-matter-schema.js'
import type { Article, Tag } from '../content/parse-article.js'
import { topicPath } from '../content/slugify-name.js'
import { articleUrl, hasText, type ArticleRenderer, type MediaItem, type RenderedArticle } from '../markdown/render-article.js'
import { toContentPath } from '../markdown/resolve-url.js'
import { toBylineHtml } from './feed-byline.js'
import { measurePicture, type PictureFile } from './measure-picture.js'

/** The three formats, by their short names. */
export type FeedFormat = 'rss' | 'atom' | 'json'

/** File name of each format's document under a feed's folder. */
export const feedFileNames: Record<FeedFormat, string> = {
  rss: 'feed.xml',
  atom: 'atom.xml',
  json: 'feed.json',
}

/** Media type each format is served with. */
export const feedMediaTypes: Record<FeedFormat, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
}

/** A set of articles that has its own feeds and page: the whole site, a tag or an author. */
export interface FeedScope {
  /** URL path prefix of the scope's feeds: `''`, `/tags/<slug>` or `/authors/<slug>`. */
  prefix: string
  /** URL path of the scope's HTML page. */
  pagePath: string
  title: string
  description: string
  /** Newest first. */
  articles: Article[]
}

/** Which slice of a scope a document holds (RFC 5005 for RSS and Atom, `next_url` pages for JSON Feed). */
export type FeedPage =
  /** The subscription document: the newest articles. */
  | { kind: 'current' }
  /** RFC 5005 archive number `number` (1 = oldest). */
  | { kind: 'archive'; number: number }
  /** JSON Feed page `number` (1 = newest, same as current). */
  | { kind: 'page'; number: number }

/** A picture of a feed item, with what its file tells when it is in the content folder. */
export interface FeedMedia extends MediaItem {
  file: PictureFile | undefined
}

/** One entry of a feed, in terms every format can express. */
export interface FeedItem {
  /** Permanent id: the front matter's `id`, or else the article URL. */
  id: string
  url: string
  title: string
  summary: string
  /** The article's HTML, after a byline: some readers show only the first author of the metadata, or none. */
  contentHtml: string
  published: Date
  updated: Date
  authors: Person[]
  tags: Tag[]
  lang: string
  /** Lead image first. */
  media: FeedMedia[]
  sources: Source[]
}

/** RFC 5005 / paging links of a document, absolute, per format. */
export interface FeedPaging {
  /** All articles fit in this document (`fh:complete`). */
  complete: boolean
  /** This document is an archive (`fh:archive`). */
  archive: boolean
  current: string | undefined
  prevArchive: string | undefined
  nextArchive: string | undefined
  /** JSON Feed `next_url`. */
  next: string | undefined
}

/** Everything a format needs to write one document. */
export interface FeedDocument {
  format: FeedFormat
  site: Config['site']
  baseUrl: string
  title: string
  description: string
  language: string
  /** Absolute URL of this very document. */
  selfUrl: string
  /** Absolute URL of the scope's HTML page. */
  homeUrl: string
  /** The id of the logical feed (same for its archives). */
  feedId: string
  /** Newest article change; for an empty feed, `undefined`. */
  updated: Date | undefined
  /** `Last-Modified` of the document (see `lastModifiedOf`). */
  lastModified: Date | undefined
  items: FeedItem[]
  paging: FeedPaging
  /** Absolute URL of the CSS that makes an XML feed readable in a browser. */
  stylesheetUrl: string
  /** WebSub hubs to advertise: the subscription document's only (a hub is told of it alone). */
  hubs: readonly string[]
  /** Whether every article's render holds until its file changes (see `RenderedArticle.lasting`): the document may be kept. */
  lasting: boolean
}

/** URL path of a feed document. */
/**
 * Path of a scope's list page `number` (1 is the scope's own page): `/`, `/page/2`,
 * `/tags/<slug>/page/3`. Each holds `feed.size` articles, newest first.
 */
export function listPagePath(scope: Pick<FeedScope, 'prefix' | 'pagePath'>, number: number): string {
  return number <= 1 ? scope.pagePath : `${scope.prefix}/page/${number}`
}

export function feedPath(prefix: string, format: FeedFormat, page: FeedPage = { kind: 'current' }): string {
  if (page.kind === 'archive') return `${prefix}/archive/${page.number}/${feedFileNames[format]}`
  if (page.kind === 'page' && page.number > 1) return `${prefix}/${feedFileNames[format]}?page=${page.number}`
  return `${prefix}/${feedFileNames[format]}`
}

/** The scope of the whole site. */
export function siteScope(site: Config['site'], articles: Article[]): FeedScope {
  return { prefix: '', pagePath: '/', title: site.title, description: site.description, articles }
}

/** The scope of a tag or an author. */
export function topicScope(site: Config['site'], topic: Topic): FeedScope {
  const what = topic.kind === 'tag' ? `tagged “${topic.name}”` : `by ${topic.name}`
  return {
    prefix: topicPath(topic.kind, topic.slug),
    pagePath: topicPath(topic.kind, topic.slug),
    title: `${site.title}: ${topic.name}`,
    description: `Articles ${what} on ${site.title}.`,
    articles: topic.articles,
  }
}

/** How a scope splits into documents for a page size. */
export interface Pagination {
  /** RFC 5005 archives, oldest first; empty when everything fits the current document. */
  archiveCount: number
  /** JSON Feed pages, newest first. */
  pageCount: number
}

/** Count archives and pages: archives hold the articles that do not fit the current document. */
export function paginate(total: number, size: number): Pagination {
  return {
    archiveCount: total <= size ? 0 : Math.ceil((total - size) / size),
    pageCount: Math.max(1, Math.ceil(total / size)),
  }
}

/**
 * Articles of one document. Archive `n` holds the `n`-th oldest block of `size`
 * articles among those that are not in the current document, so a full archive never
 * changes when new articles arrive.
 */
export function selectArticles(articles: Article[], size: number, page: FeedPage): Article[] | undefined {
  const { archiveCount, pageCount } = paginate(articles.length, size)
  if (page.kind === 'current') return articles.slice(0, size)
  if (page.kind === 'page') {
    if (!Number.isInteger(page.number) || page.number < 1 || page.number > pageCount) return undefined
    return articles.slice((page.number - 1) * size, page.number * size)
  }
  if (!Number.isInteger(page.number) || page.number < 1 || page.number > archiveCount) return undefined
  const archived = articles.length - size
  // Oldest-first positions [start, end) map to newest-first indices counted from the end.
  const start = (page.number - 1) * size
  const end = Math.min(page.number * size, archived)
  return articles.slice(articles.length - end, articles.length - start)
}

/**
 * Assemble the format-neutral description of one feed document, or `undefined` for
 * a page that does not exist.
 *
 * @param media the content folder's files (the catalog's), which give pictures their size
 */
export function buildFeedDocument(
  config: Pick<Config, 'baseUrl' | 'site' | 'feed'> & Partial<Pick<Config, 'websub'>>,
  renderer: ArticleRenderer,
  scope: FeedScope,
  format: FeedFormat,
  page: FeedPage,
  media: ReadonlyMap<string, MediaFile> = new Map(),
): FeedDocument | undefined {
  const size = config.feed.size
  const selected = selectArticles(scope.articles, size, page)
  if (!selected) return undefined
  const { archiveCount, pageCount } = paginate(scope.articles.length, size)
  // An article without its text (unreadable, or a body that cannot render and no good
  // version before it) is left out rather than published empty; /status says why.
  const items: FeedItem[] = []
  let lasting = true
  for (const article of selected) {
    const rendered = renderer.render(article)
    lasting &&= rendered.lasting
    if (hasText(rendered)) items.push(toFeedItem(config.baseUrl, rendered, article, media))
  }
  const url = (target: FeedPage) => `${config.baseUrl}${feedPath(scope.prefix, format, target)}`
  const paging: FeedPaging = { complete: false, archive: false, current: undefined, prevArchive: undefined, nextArchive: undefined, next: undefined }
  if (format === 'json') {
    const number = page.kind === 'page' ? page.number : 1
    if (number < pageCount) paging.next = url({ kind: 'page', number: number + 1 })
  } else if (page.kind === 'archive') {
    paging.archive = true
    paging.current = url({ kind: 'current' })
    if (page.number > 1) paging.prevArchive = url({ kind: 'archive', number: page.number - 1 })
    if (page.number < archiveCount) paging.nextArchive = url({ kind: 'archive', number: page.number + 1 })
  } else if (archiveCount === 0) {
    paging.complete = true
  } else {
    paging.prevArchive = url({ kind: 'archive', number: archiveCount })
  }
  return {
    format,
    site: config.site,
    baseUrl: config.baseUrl,
    title: scope.title,
    description: scope.description,
    language: config.site.language,
    selfUrl: url(page),
    homeUrl: `${config.baseUrl}${scope.pagePath}`,
    feedId: url({ kind: 'current' }),
    updated: newestChange(selected),
    lastModified: lastModifiedOf(selected),
    items,
    paging,
    stylesheetUrl: `${config.baseUrl}/feed.css`,
    hubs: page.kind === 'archive' || (page.kind === 'page' && page.number > 1) ? [] : (config.websub?.hubs ?? []),
    lasting,
  }
}

// One FeedItem per render, so the writers' per-item caches (item-fragments) hit in every
// document holding the article, and go when the renderer lets the render go.
const feedItems = new WeakMap<RenderedArticle, { baseUrl: string; item: FeedItem }>()

function toFeedItem(baseUrl: string, rendered: RenderedArticle, article: Article, files: ReadonlyMap<string, MediaFile>): FeedItem {
  const media = rendered.media.map((picture): FeedMedia => {
    const path = toContentPath(baseUrl, picture.url)
    const file = path === undefined ? undefined : files.get(path)
    return { ...picture, file: file && measurePicture(file) }
  })
  const known = feedItems.get(rendered)
  // A picture replaced under the same name keeps the render but not its size.
  if (known?.baseUrl === baseUrl && known.item.media.every((picture, index) => picture.file === media[index]!.file)) return known.item
  const url = articleUrl(baseUrl, article.slug)
  const item: FeedItem = {
    id: article.id ?? url,
    url,
    title: article.title,
    summary: rendered.summary,
    contentHtml: `${toBylineHtml(article.authors, article.lang)}\n${rendered.html}`,
    published: article.date,
    updated: lastChanged(article),
    authors: article.authors.map(({ slug: _slug, ...person }) => person),
    tags: article.tags,
    lang: article.lang,
    media,
    sources: article.sources,
  }
  feedItems.set(rendered, { baseUrl, item })
  return item
}
