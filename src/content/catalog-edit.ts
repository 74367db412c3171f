import { compareNewestFirst, type Catalog, type ContentEntry, type SlugLookup, type Topic } from './catalog.js'
import type { Problem } from './format-problem.js'
import type { Article } from './parse-article.js'

// The catalog after an edit, worked out from the previous one and what changed rather than
// from every entry: the common edit at ten thousand articles takes a few milliseconds.
// test/content/build-catalog.test.ts keeps it equal to a full build across random edits.

/**
 * What the common edit changes, worked out from `previous` and the edited entries alone:
 * each edited file still holds its slug and stays published (no draft, not scheduled).
 * `undefined` for anything else (a new, removed or renamed article, a draft, a duplicate
 * slug), which a full pass over the entries handles. Going through ten thousand entries
 * was most of an edit's catalog time.
 */
export function replaceEdited(previous: Catalog, changed: ReadonlyMap<string, ContentEntry | undefined>, nowMs: number): { changes: Changes; bySlug: SlugLookup; problems: Problem[] } | undefined {
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
export type CatalogIndex = Pick<Catalog, 'articles'> & Partial<Pick<Catalog, 'tags' | 'authors'>>

/** What an edit changed in the published set: articles that left it and articles that joined it. */
export interface Changes {
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
export function findGone(previous: Catalog, bySlug: Map<string, Article>, stayed: number, added: Article[]): Changes | undefined {
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

/**
 * The index from the previous catalog's, changed in place of being rebuilt: each change
 * is one binary search in the sorted articles and in each of its topics. Topics no change
 * touches are the previous catalog's own (immutable) objects.
 */
export function indexChanges(previous: Catalog, { gone, added }: Changes): CatalogIndex {
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
