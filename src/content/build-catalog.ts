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
  /** Topics by slug, in no particular order. */
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
 *
 * @param previous the catalog this one replaces: given it, only what changed is sorted
 *   and regrouped, which keeps an edit at ten thousand articles to a few milliseconds
 */
export function buildCatalog(entries: Iterable<ContentEntry>, media: Map<string, MediaFile>, now: Date, previous?: Catalog): Catalog {
  const problems: Problem[] = []
  const bySlug = new Map<string, Article>()
  let nextScheduled: Date | undefined
  for (const entry of sortByFile([...entries])) {
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
  const { articles, tags, authors } = previous ? indexChanges(previous, bySlug) : indexAll([...bySlug.values()])
  const hash = createHash('sha256')
  // Revisions are unique per parsed file, so their sequence alone identifies the published set.
  hash.update(Uint32Array.from(articles, revisionOf))
  for (const file of [...media.values()].sort((a, b) => (a.path < b.path ? -1 : 1))) hash.update(`${file.path}\0${file.mtime.getTime()}\0${file.size}\n`)
  return { version: hash.digest('hex').slice(0, 16), articles, bySlug, tags, authors, media, problems, nextScheduled }
}

type Index = Pick<Catalog, 'articles' | 'tags' | 'authors'>

function indexAll(published: Article[]): Index {
  const articles = sortNewestFirst(published)
  return { articles, tags: groupBy(articles, 'tag'), authors: groupBy(articles, 'author') }
}

// Past this many changed topics, regrouping everything is as cheap.
const maxChangedTopics = 64

/**
 * The index of `bySlug` from the previous catalog's: the articles that stay keep their
 * order (the sort then only places the others), and only topics that gained or lost an
 * article are regrouped; the others are the previous catalog's own objects.
 */
function indexChanges(previous: Catalog, bySlug: Map<string, Article>): Index {
  const stayed = previous.articles.filter((article) => bySlug.get(article.slug) === article)
  const gone = previous.articles.filter((article) => bySlug.get(article.slug) !== article)
  const kept = new Set(stayed)
  const added = [...bySlug.values()].filter((article) => !kept.has(article))
  if (gone.length === 0 && added.length === 0) return { articles: previous.articles, tags: previous.tags, authors: previous.authors }
  // Nearly sorted input: the sort (TimSort) does little more than one pass.
  const articles = sortNewestFirst([...stayed, ...added])
  const changed = [...gone, ...added]
  return { articles, tags: regroup(previous.tags, articles, changed, 'tag'), authors: regroup(previous.authors, articles, changed, 'author') }
}

function regroup(previous: Map<string, Topic>, articles: Article[], changed: Article[], kind: Topic['kind']): Map<string, Topic> {
  const slugs = new Set(changed.flatMap((article) => topicsOf(article, kind).map((topic) => topic.slug)))
  if (slugs.size > maxChangedTopics) return groupBy(articles, kind)
  const topics = new Map(previous)
  for (const slug of slugs) topics.delete(slug)
  for (const [slug, topic] of groupBy(articles, kind, slugs)) topics.set(slug, topic)
  return topics
}

function topicsOf(article: Article, kind: Topic['kind']): ReadonlyArray<{ slug: string; name: string }> {
  return kind === 'tag' ? article.tags : article.authors
}

function sortByFile(entries: ContentEntry[]): ContentEntry[] {
  // The store keeps its entries in file order, so this is usually one pass.
  for (let index = 1; index < entries.length; index++) {
    if (entries[index - 1]!.file > entries[index]!.file) return entries.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
  }
  return entries
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

/** Articles by tag or author slug, in the articles' order; only the topics in `only` when given. */
function groupBy(articles: Article[], kind: Topic['kind'], only?: ReadonlySet<string>): Map<string, Topic> {
  const topics = new Map<string, Topic>()
  for (const article of articles) {
    for (const { slug, name } of topicsOf(article, kind)) {
      if (only && !only.has(slug)) continue
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
