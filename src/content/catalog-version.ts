import { createHash } from 'node:crypto'
import type { Catalog } from './catalog.js'
import type { Changes } from './catalog-edit.js'
import type { Article } from './parse-article.js'

// The part of a catalog's version that its published articles make: which versions of
// which files are published, without hashing their text.

// What identifies each catalog's published articles, for the version of the next one.
const articlesKeys = new WeakMap<Catalog, string>()

/** Remember what identifies `catalog`'s published articles (see `keyChanges`). */
export function rememberArticlesKey(catalog: Catalog, key: string): void {
  articlesKeys.set(catalog, key)
}

/** Revisions are unique per parsed file, so their sequence alone identifies the published set. */
export function keyArticles(articles: Article[]): string {
  return createHash('sha256').update(Uint32Array.from(articles, revisionOf)).digest('hex')
}

/**
 * The previous key with the changes applied: new whenever the published set changed,
 * the same when it did not, without numbering every article again.
 */
export function keyChanges(previous: Catalog, { gone, added }: Changes): string {
  const key = articlesKeys.get(previous) ?? keyArticles(previous.articles)
  if (gone.length === 0 && added.length === 0) return key
  return createHash('sha256').update(key).update(Uint32Array.from(gone, revisionOf)).update('+').update(Uint32Array.from(added, revisionOf)).digest('hex')
}

// Every parse makes a new Article object, so the object itself identifies a version of a
// file: numbering objects is enough for the catalog version, without hashing every file
// at start-up (a tenth of a second per thousand articles on this project's machines).
const revisions = new WeakMap<Article, number>()
let nextRevision = 1

function revisionOf(article: Article): number {
  let revision = revisions.get(article)
  if (revision === undefined) {
    revision = nextRevision++
    revisions.set(article, revision)
  }
  return revision
}
