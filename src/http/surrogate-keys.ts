import type { Catalog } from '../content/catalog.js'
import { changesLists, diffCatalogs } from '../content/diff-catalogs.js'
import type { Article } from '../content/parse-article.js'

/**
 * Surrogate keys: what each response depends on, so that a shared cache can drop exactly
 * the documents an edit changed. A document names:
 * - `kind:<kind>`: `feed` (current feeds and JSON Feed pages), `archive`, `page` (HTML),
 *   `asset` (stylesheets) or `media`;
 * - `site`, `tag:<slug>` or `author:<slug>`: the list it is part of (its feeds, archives
 *   and list page), dropped when an article joins, leaves or moves in that list;
 * - `article:<slug>` for every article it shows, dropped when that article changes;
 * - `media:<path>` for a picture.
 *
 * Keys hold only `[A-Za-z0-9:_%-]` (anything else percent-encoded), so they can be
 * listed with spaces or commas and matched by a regular expression without escaping.
 */

/** What kind of document a response is (one key each, to drop a whole kind at once). */
export type DocumentKind = 'feed' | 'archive' | 'page' | 'asset' | 'media'

// Over this many bytes of keys, a document names `overflow` instead of its articles
// (every purge drops it): Varnish refuses a response header longer than 8 KB
// (http_resp_hdr_len), and Fastly and Cloudflare stop at 16 KB. Feeds of the default
// size stay far below.
const maxKeyBytes = 4_000

/** The key every over-long document carries instead of its articles; every purge names it. */
export const overflowKey = 'overflow'

/** The keys of one document (see the module comment). */
export function listDocumentKeys(kind: DocumentKind, options: { scopePrefix?: string | undefined; slugs?: Iterable<string>; mediaPath?: string } = {}): string[] {
  const keys = [`kind:${kind}`]
  if (options.scopePrefix !== undefined) keys.push(scopeKey(options.scopePrefix))
  if (options.mediaPath !== undefined) keys.push(`media:${encodeKey(options.mediaPath)}`)
  const fixed = keys.length
  let bytes = keys.join(' ').length
  for (const slug of options.slugs ?? []) {
    const key = articleKey(slug)
    bytes += key.length + 1
    if (bytes > maxKeyBytes) {
      keys.length = fixed
      keys.push(overflowKey)
      break
    }
    keys.push(key)
  }
  return keys
}

/** The header fields that carry `keys`: `xkey` (Varnish), `Surrogate-Key` (Fastly), `Cache-Tag` (Cloudflare). */
export function surrogateKeyFields(keys: readonly string[]): string[] {
  if (keys.length === 0) return []
  const spaced = keys.join(' ')
  return ['xkey', spaced, 'Surrogate-Key', spaced, 'Cache-Tag', keys.join(',')]
}

/**
 * The keys of every document that differs between two catalogs: each changed article's,
 * and the lists of each article that joined, left, moved (a new date) or changed its tags
 * or authors, under the old and the new version. An edit that keeps those (the usual
 * one: text, title, pictures) drops only the documents that show the article.
 */
export function listChangedKeys(previous: Catalog, next: Catalog): string[] {
  const keys = new Set<string>()
  const addLists = (article: Article | undefined) => {
    if (!article) return
    keys.add('site')
    for (const tag of article.tags) keys.add(`tag:${encodeKey(tag.slug)}`)
    for (const author of article.authors) keys.add(`author:${encodeKey(author.slug)}`)
  }
  const diff = diffCatalogs(previous, next)
  for (const change of diff.articles) {
    keys.add(articleKey(change.slug))
    if (!changesLists(change)) continue
    addLists(change.before)
    addLists(change.after)
  }
  for (const file of diff.media) keys.add(`media:${encodeKey(file)}`)
  if (keys.size > 0) keys.add(overflowKey)
  return [...keys]
}

function articleKey(slug: string): string {
  return `article:${encodeKey(slug)}`
}

/** `site` for the site's own lists, `tag:<slug>` or `author:<slug>` for a topic's (see `FeedScope.prefix`). */
function scopeKey(prefix: string): string {
  if (prefix === '') return 'site'
  const [, kind, slug] = prefix.split('/')
  return `${kind === 'tags' ? 'tag' : 'author'}:${encodeKey(decodeURIComponent(slug ?? ''))}`
}

/** Percent-encode everything outside `[A-Za-z0-9_-]`, so keys need no quoting anywhere. */
function encodeKey(value: string): string {
  return encodeURIComponent(value).replace(/[^A-Za-z0-9_%-]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)
}
