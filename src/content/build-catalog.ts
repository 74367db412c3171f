import { createHash } from 'node:crypto'
import type { Catalog, ContentEntry, MediaFile, SlugLookup, Topic } from './catalog.js'
import { findGone, indexChanges, replaceEdited, type CatalogIndex, type Changes } from './catalog-edit.js'
import { keyArticles, keyChanges, rememberArticlesKey } from './catalog-version.js'
import type { Problem } from './format-problem.js'
import type { Article } from './parse-article.js'

/**
 * Index articles into a catalog: drop drafts and articles dated after `now`, refuse
 * duplicate slugs (the file that sorts first keeps the slug; `listContentProblems`
 * reports the others), sort newest first, group by tag and author.
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
    // The file that sorts first keeps the slug; listContentProblems reports the others.
    if (bySlug.has(article.slug)) continue
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
  rememberArticlesKey(catalog, articlesKey)
  return catalog
}

function indexAll(published: Article[]): CatalogIndex {
  return { articles: sortNewestFirst(published) }
}

function sortByFile(entries: ContentEntry[]): ContentEntry[] {
  // The store keeps its entries in file order, so this is usually one pass.
  for (let index = 1; index < entries.length; index++) {
    if (entries[index - 1]!.file > entries[index]!.file) return entries.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
  }
  return entries
}

/** Sort newest first (see `compareNewestFirst`), reading each date once rather than at every comparison. */
function sortNewestFirst(articles: Article[]): Article[] {
  const keyed = articles.map((article) => ({ time: article.date.getTime(), slug: article.slug, article }))
  keyed.sort((a, b) => b.time - a.time || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0))
  return keyed.map((entry) => entry.article)
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
