import type { Catalog } from '../content/catalog.js'
import { diffCatalogs } from '../content/diff-catalogs.js'
import type { Article } from '../content/parse-article.js'
import { topicPath } from '../content/slugify-name.js'
import { feedPath, paginate, type FeedFormat } from '../feeds/feed-model.js'

const formats: FeedFormat[] = ['rss', 'atom', 'json']

/** A list of articles with its own feeds, as one catalog has it. */
interface ListState {
  name: string | undefined
  articles: Article[]
}

/**
 * Paths of the subscription feeds (site, tag and author; every format) whose content
 * differs between two catalogs: a list whose newest `size` articles are not the same
 * article objects, whose title changed, or whose archives or pages changed in number
 * (the feed links to them). Archives are left out: WebSub subscribers follow the
 * subscription feed. A list that is gone has nothing to announce.
 */
export function listChangedFeedPaths(previous: Catalog, next: Catalog, size: number): string[] {
  const diff = diffCatalogs(previous, next)
  if (diff.articles.length === 0) return []
  const prefixes = new Map<string, (catalog: Catalog) => ListState>([['', (catalog) => ({ name: undefined, articles: catalog.articles })]])
  for (const { before, after } of diff.articles) {
    for (const article of [before, after]) {
      if (!article) continue
      for (const [kind, topics] of [['tag', article.tags], ['author', article.authors]] as const) {
        for (const { slug } of topics) {
          prefixes.set(topicPath(kind, slug), (catalog) => {
            const topic = (kind === 'tag' ? catalog.tags : catalog.authors).get(slug)
            return { name: topic?.name, articles: topic?.articles ?? [] }
          })
        }
      }
    }
  }
  const paths: string[] = []
  for (const [prefix, stateOf] of prefixes) {
    const before = stateOf(previous)
    const after = stateOf(next)
    if (after.articles.length === 0) continue
    if (before.name === after.name && !differs(before.articles, after.articles, size)) continue
    for (const format of formats) paths.push(feedPath(prefix, format))
  }
  return paths
}

function differs(before: Article[], after: Article[], size: number): boolean {
  const shape = (articles: Article[]) => {
    const { archiveCount, pageCount } = paginate(articles.length, size)
    return `${archiveCount} ${pageCount > 1}`
  }
  if (shape(before) !== shape(after)) return true
  const newest = Math.min(size, after.length)
  if (Math.min(size, before.length) !== newest) return true
  for (let index = 0; index < newest; index++) if (before[index] !== after[index]) return true
  return false
}
