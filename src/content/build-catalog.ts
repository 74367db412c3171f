import { createHash } from 'node:crypto'
import type { Problem } from './format-problem.js'
import type { Article } from './parse-article.js'

/** Articles that share a tag or an author, newest first. */
export interface Topic {
  kind: 'tag' | 'author'
  slug: string
  name: string
  articles: Article[]
}

/** A file of the content folder served as-is (pictures). */
export interface MediaFile {
  /** Path relative to the content folder, `/` separators. */
  path: string
  /** Absolute path on disk. */
  absolutePath: string
  /** Modification time, for `Last-Modified`. */
  mtime: Date
  size: number
}

/** An immutable snapshot of everything published; swapped whole when content changes. */
export interface Catalog {
  /** Changes whenever anything that can reach a response changes. */
  version: string
  /** Published articles, newest first (ties broken by slug, so order is stable). */
  articles: Article[]
  bySlug: Map<string, Article>
  tags: Map<string, Topic>
  authors: Map<string, Topic>
  media: Map<string, MediaFile>
  /** Problems that kept files out, or that published articles still carry. */
  problems: Problem[]
  /** The earliest date of a scheduled (future) article, when the catalog must be rebuilt. */
  nextScheduled: Date | undefined
}

/** One Markdown file's latest outcome: the article to publish (possibly an older good version) and its problems. */
export interface ContentEntry {
  file: string
  article: Article | undefined
  problems: Problem[]
}

/**
 * Index articles into a catalog: drop drafts and articles dated after `now`, refuse
 * duplicate slugs (the file that sorts first keeps the slug, the others are reported
 * naming both), sort newest first, group by tag and author.
 */
export function buildCatalog(entries: Iterable<ContentEntry>, media: Map<string, MediaFile>, now: Date): Catalog {
  const problems: Problem[] = []
  const bySlug = new Map<string, Article>()
  let nextScheduled: Date | undefined
  const sorted = [...entries].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
  for (const entry of sorted) {
    problems.push(...entry.problems)
    const article = entry.article
    if (!article || article.draft) continue
    if (article.date > now) {
      if (!nextScheduled || article.date < nextScheduled) nextScheduled = article.date
      continue
    }
    const holder = bySlug.get(article.slug)
    if (holder) {
      problems.push({
        file: article.file,
        field: 'slug',
        message: `duplicate slug "${article.slug}", already used by ${holder.file}; this file is not published`,
      })
      continue
    }
    bySlug.set(article.slug, article)
  }
  const articles = sortNewestFirst([...bySlug.values()])
  const hash = createHash('sha256')
  // Revisions are unique per parsed file, so their sequence alone identifies the published set.
  hash.update(Uint32Array.from(articles, revisionOf))
  for (const file of [...media.values()].sort((a, b) => (a.path < b.path ? -1 : 1))) hash.update(`${file.path}\0${file.mtime.getTime()}\0${file.size}\n`)
  return {
    version: hash.digest('hex').slice(0, 16),
    articles,
    bySlug,
    tags: groupBy(articles, 'tag'),
    authors: groupBy(articles, 'author'),
    media,
    problems,
    nextScheduled,
  }
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

/** Sort newest first (see `compareNewestFirst`), reading each date once rather than at every comparison. */
function sortNewestFirst(articles: Article[]): Article[] {
  const keyed = articles.map((article) => ({ time: article.date.getTime(), slug: article.slug, article }))
  keyed.sort((a, b) => b.time - a.time || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0))
  return keyed.map((entry) => entry.article)
}

/** Newest first by publication date, then by slug, so equal dates still sort the same way every time. */
export function compareNewestFirst(a: Article, b: Article): number {
  return b.date.getTime() - a.date.getTime() || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0)
}

function groupBy(articles: Article[], kind: Topic['kind']): Map<string, Topic> {
  const topics = new Map<string, Topic>()
  for (const article of articles) {
    const keys = kind === 'tag' ? article.tags : article.authors
    for (const { slug, name } of keys) {
      let topic = topics.get(slug)
      if (!topic) {
        topic = { kind, slug, name, articles: [] }
        topics.set(slug, topic)
      }
      topic.articles.push(article)
    }
  }
  return topics
}

/** Date a reader should consider the article last changed. */
export function lastChanged(article: Article): Date {
  return article.updated && article.updated > article.date ? article.updated : article.date
}

/**
 * `Last-Modified` of a document made of these articles: their newest date or file
 * change. Headers may follow the disk; the bytes follow only the articles' dates.
 */
export function lastModifiedOf(articles: Iterable<Article>): Date | undefined {
  let newest: Date | undefined
  for (const article of articles) {
    const changed = lastChanged(article)
    const modified = article.fileModified && article.fileModified > changed ? article.fileModified : changed
    if (!newest || modified > newest) newest = modified
  }
  return newest
}

/** The newest change among articles: a feed's `updated`, never the time of the request. */
export function newestChange(articles: Iterable<Article>): Date | undefined {
  let newest: Date | undefined
  for (const article of articles) {
    const changed = lastChanged(article)
    if (!newest || changed > newest) newest = changed
  }
  return newest
}
