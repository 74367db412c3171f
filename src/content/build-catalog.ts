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
  bySlug: SlugLookup
  /** Topics by slug, in no particular order. */
  tags: Map<string, Topic>
  authors: Map<string, Topic>
  media: Map<string, MediaFile>
  /** Problems that kept files out, or that published articles still carry. */
  problems: Problem[]
  /** The earliest date of a scheduled (future) article, when the catalog must be rebuilt. */
  nextScheduled: Date | undefined
  /**
   * When an article last left the published set (removed, made a draft, given another
   * slug) while this process ran: the feeds and pages that listed it changed, though none
   * of the articles they still hold did, so their `Last-Modified` moves to it.
   */
  retiredAt: Date | undefined
}

/** Published articles by slug: a `Map`, or after an edit the previous catalog's with the edited ones in place. */
export interface SlugLookup extends Iterable<[string, Article]> {
  get(slug: string): Article | undefined
  has(slug: string): boolean
  readonly size: number
  keys(): Iterable<string>
}

/** One Markdown file's latest outcome: the article to publish (possibly an older good version) and its problems. */
export interface ContentEntry {
  file: string
  article: Article | undefined
  problems: Problem[]
  /** Size and modification time of the version of the file read, when it could be read. */
  read?: { size: number; mtimeMs: number } | undefined
}

/**
 * Index articles into a catalog: drop drafts and articles dated after `now`, refuse
 * duplicate slugs (the file that sorts first keeps the slug, the others are reported
 * naming both), sort newest first, group by tag and author.
 *
 * @param previous the catalog this one replaces: given it, only what changed is sorted
 *   and regrouped, which keeps an edit at ten thousand articles to a few milliseconds
 * @param changed the article files that changed since `previous`, each with its entry now
 *   (`undefined` once removed): when every one keeps its slug and stays published, the
 *   other entries are not even read
 */
export function buildCatalog(entries: Iterable<ContentEntry>, media: Map<string, MediaFile>, now: Date, previous?: Catalog, changed?: ReadonlyMap<string, ContentEntry | undefined>): Catalog {
  const edited = previous && changed && replaceEdited(previous, changed, now.getTime())
  if (edited) return assembleCatalog(edited.changes, edited.bySlug, edited.problems, previous.nextScheduled, media, previous, previous.retiredAt)
  const problems: Problem[] = []
  const nowMs = now.getTime()
  const bySlug = new Map<string, Article>()
  let nextScheduled: Date | undefined
  // With a previous catalog: how many of its articles stay, and which articles are new.
  let stayed = 0
  // How many of its slugs are still published: fewer than it had means one left.
  let kept = 0
  const added: Article[] = []
  for (const entry of sortByFile([...entries])) {
    if (entry.problems.length > 0) problems.push(...entry.problems)
    const article = entry.article
    if (!article || article.draft) continue
    // getTime(), not `>` on the Dates: comparing Date objects converts both through
    // valueOf lookups, most of an edit's catalog time at ten thousand articles.
    if (article.date.getTime() > nowMs) {
      if (!nextScheduled || article.date.getTime() < nextScheduled.getTime()) nextScheduled = article.date
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
    if (previous) {
      const before = previous.bySlug.get(article.slug)
      if (before) kept++
      if (before === article) stayed++
      else added.push(article)
    }
  }
  const changes = previous && findGone(previous, bySlug, stayed, added)
  const retiredAt = previous && kept < previous.bySlug.size ? now : previous?.retiredAt
  return assembleCatalog(changes, bySlug, problems, nextScheduled, media, previous, retiredAt)
}

/** The catalog of these published articles: indexed from `previous` when the changes to it are known, from scratch otherwise. */
function assembleCatalog(changes: Changes | undefined, bySlug: SlugLookup, problems: Problem[], nextScheduled: Date | undefined, media: Map<string, MediaFile>, previous: Catalog | undefined, retiredAt: Date | undefined): Catalog {
  const index = previous && changes ? indexChanges(previous, changes) : indexAll(Array.from(bySlug, ([, article]) => article))
  const articlesKey = previous && changes ? keyChanges(previous, changes) : keyArticles(index.articles)
  const hash = createHash('sha256').update(articlesKey)
  for (const file of [...media.values()].sort((a, b) => (a.path < b.path ? -1 : 1))) hash.update(`${file.path}\0${file.mtime.getTime()}\0${file.size}\n`)
  let { tags, authors } = index
  const catalog: Catalog = {
    version: hash.digest('hex').slice(0, 16),
    articles: index.articles,
    bySlug,
    media,
    problems,
    nextScheduled,
    retiredAt,
    // Grouped on first use: the first feed after a start needs no topic, and grouping ten
    // thousand articles took about 20 ms of the way to it.
    get tags() {
      return (tags ??= groupBy(index.articles, 'tag'))
    },
    get authors() {
      return (authors ??= groupBy(index.articles, 'author'))
    },
  }
  articlesKeys.set(catalog, articlesKey)
  return catalog
}

/**
 * What the common edit changes, worked out from `previous` and the edited entries alone:
 * each edited file still holds its slug and stays published (no draft, not scheduled).
 * `undefined` for anything else (a new, removed or renamed article, a draft, a duplicate
 * slug), which a full pass over the entries handles. Going through ten thousand entries
 * was most of an edit's catalog time.
 */
function replaceEdited(previous: Catalog, changed: ReadonlyMap<string, ContentEntry | undefined>, nowMs: number): { changes: Changes; bySlug: SlugLookup; problems: Problem[] } | undefined {
  if (changed.size === 0 || changed.size > maxChanges) return undefined
  // An article that came due since `previous` was built is published by a full pass.
  if (previous.nextScheduled && previous.nextScheduled.getTime() <= nowMs) return undefined
  const changes: Changes = { gone: [], added: [] }
  for (const [file, entry] of changed) {
    const article = entry?.article
    if (!article || article.draft || article.date.getTime() > nowMs) return undefined
    const replaced = previous.bySlug.get(article.slug)
    if (replaced?.file !== file) return undefined
    if (replaced === article) continue
    changes.gone.push(replaced)
    changes.added.push(article)
  }
  const bySlug = EditedSlugs.of(previous.bySlug, changes.added)
  // Problems are listed in file order: each edited file's go where its old ones were.
  const problems = previous.problems.filter((problem) => !changed.has(problem.file))
  for (const [file, entry] of [...changed].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (entry!.problems.length === 0) continue
    const at = problems.findIndex((problem) => problem.file > file)
    problems.splice(at === -1 ? problems.length : at, 0, ...entry!.problems)
  }
  return { changes, bySlug, problems }
}

// Past this many edited articles, the slug lookup is copied into one map again.
const maxReplacedSlugs = 256

/**
 * The previous catalog's slug lookup with edited articles in place. Copying a map of ten
 * thousand slugs took 3.5 ms per edit; edits instead gather in one small map over the
 * same base, so a lookup stays at most two `get`s.
 */
class EditedSlugs implements SlugLookup {
  private constructor(
    private readonly base: ReadonlyMap<string, Article>,
    private readonly replaced: ReadonlyMap<string, Article>,
  ) {}

  /** `previous` with each of `articles` under its (already published) slug. */
  static of(previous: SlugLookup, articles: Article[]): SlugLookup {
    const base = previous instanceof EditedSlugs ? previous.base : (previous as ReadonlyMap<string, Article>)
    const replaced = new Map(previous instanceof EditedSlugs ? previous.replaced : undefined)
    for (const article of articles) replaced.set(article.slug, article)
    const edited = new EditedSlugs(base, replaced)
    return replaced.size > maxReplacedSlugs ? new Map(edited) : edited
  }

  get(slug: string): Article | undefined {
    return this.replaced.get(slug) ?? this.base.get(slug)
  }

  has(slug: string): boolean {
    return this.base.has(slug)
  }

  get size(): number {
    return this.base.size
  }

  keys(): Iterable<string> {
    return this.base.keys()
  }

  *[Symbol.iterator](): Iterator<[string, Article]> {
    for (const [slug, article] of this.base) yield [slug, this.replaced.get(slug) ?? article]
  }
}

// Topics are left out when they are cheaper to group on first use (see assembleCatalog).
type Index = Pick<Catalog, 'articles'> & Partial<Pick<Catalog, 'tags' | 'authors'>>

/** What an edit changed in the published set: articles that left it and articles that joined it. */
interface Changes {
  gone: Article[]
  added: Article[]
}

// Past this many changed articles, indexing everything again is as cheap.
const maxChanges = 64

/**
 * The previous catalog's articles that are not published any more, or `undefined` when
 * there are too many changes to apply one by one. An edit replaces an article object
 * under the same slug, so the replaced ones are found by slug; only when the counts show
 * that something else left (a deleted file, a new slug, a draft) are all of them checked.
 */
function findGone(previous: Catalog, bySlug: Map<string, Article>, stayed: number, added: Article[]): Changes | undefined {
  if (added.length > maxChanges) return undefined
  const gone: Article[] = []
  for (const article of added) {
    const replaced = previous.bySlug.get(article.slug)
    if (replaced) gone.push(replaced)
  }
  if (stayed + gone.length !== previous.articles.length) {
    gone.length = 0
    for (const article of previous.articles) if (bySlug.get(article.slug) !== article) gone.push(article)
  }
  return gone.length > maxChanges ? undefined : { gone, added }
}

function indexAll(published: Article[]): Index {
  return { articles: sortNewestFirst(published) }
}

/**
 * The index from the previous catalog's, changed in place of being rebuilt: each change
 * is one binary search in the sorted articles and in each of its topics. Topics no change
 * touches are the previous catalog's own (immutable) objects.
 */
function indexChanges(previous: Catalog, { gone, added }: Changes): Index {
  if (gone.length === 0 && added.length === 0) return { articles: previous.articles, tags: previous.tags, authors: previous.authors }
  return {
    articles: applyChanges(previous.articles, gone, added),
    tags: regroup(previous.tags, gone, added, 'tag'),
    authors: regroup(previous.authors, gone, added, 'author'),
  }
}

function regroup(previous: Map<string, Topic>, gone: Article[], added: Article[], kind: Topic['kind']): Map<string, Topic> {
  const slugs = new Set([...gone, ...added].flatMap((article) => topicsOf(article, kind).map((topic) => topic.slug)))
  const topics = new Map(previous)
  for (const slug of slugs) {
    const has = (article: Article) => topicsOf(article, kind).some((topic) => topic.slug === slug)
    const articles = applyChanges(previous.get(slug)?.articles ?? [], gone.filter(has), added.filter(has))
    if (articles.length === 0) {
      topics.delete(slug)
      continue
    }
    // As a full grouping names it: as the newest article writes it.
    const name = topicsOf(articles[0]!, kind).find((topic) => topic.slug === slug)!.name
    topics.set(slug, { kind, slug, name, articles })
  }
  return topics
}

/** A copy of newest-first `articles` without `gone` and with `added`, each placed by binary search. */
function applyChanges(articles: Article[], gone: Article[], added: Article[]): Article[] {
  const result = articles.slice()
  for (const article of gone) {
    const at = searchNewestFirst(result, article)
    if (result[at] === article) result.splice(at, 1)
    else {
      const found = result.indexOf(article)
      if (found !== -1) result.splice(found, 1)
    }
  }
  for (const article of added) result.splice(searchNewestFirst(result, article), 0, article)
  return result
}

/** The first index at which `article` sorts no later than the article already there. */
function searchNewestFirst(articles: Article[], article: Article): number {
  let low = 0
  let high = articles.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if (compareNewestFirst(articles[middle]!, article) < 0) low = middle + 1
    else high = middle
  }
  return low
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

// What identifies each catalog's published articles, for the version of the next one.
const articlesKeys = new WeakMap<Catalog, string>()

/** Revisions are unique per parsed file, so their sequence alone identifies the published set. */
function keyArticles(articles: Article[]): string {
  return createHash('sha256').update(Uint32Array.from(articles, revisionOf)).digest('hex')
}

/**
 * The previous key with the changes applied: new whenever the published set changed,
 * the same when it did not, without numbering every article again.
 */
function keyChanges(previous: Catalog, { gone, added }: Changes): string {
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

/** Articles by tag or author slug, in the articles' order. */
function groupBy(articles: Article[], kind: Topic['kind']): Map<string, Topic> {
  const topics = new Map<string, Topic>()
  // Indexed loops, not iterators: this runs over every article at start-up.
  for (let index = 0; index < articles.length; index++) {
    const article = articles[index]!
    const named = kind === 'tag' ? article.tags : article.authors
    for (let at = 0; at < named.length; at++) {
      const { slug, name } = named[at]!
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
