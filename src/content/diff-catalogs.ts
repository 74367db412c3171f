import type { Catalog } from './catalog.js'
import type { Article } from './parse-article.js'

/** One published slug whose article differs between two catalogs. */
export interface ArticleChange {
  slug: string
  /** The article before, `undefined` when it joined. */
  before: Article | undefined
  /** The article after, `undefined` when it left. */
  after: Article | undefined
}

/** What differs between two catalogs. */
export interface CatalogDiff {
  articles: ArticleChange[]
  /** Paths of pictures added, changed or removed. */
  media: string[]
}

/**
 * What differs between two catalogs: every parse makes a new article object, so an
 * article is unchanged exactly when the same object is published under its slug.
 * One pass over each catalog (a few milliseconds at ten thousand articles).
 */
export function diffCatalogs(previous: Catalog, next: Catalog): CatalogDiff {
  const articles: ArticleChange[] = []
  for (const after of next.articles) {
    const before = previous.bySlug.get(after.slug)
    if (before !== after) articles.push({ slug: after.slug, before, after })
  }
  for (const before of previous.articles) if (!next.bySlug.has(before.slug)) articles.push({ slug: before.slug, before, after: undefined })
  const media: string[] = []
  for (const [file, picture] of next.media) {
    const known = previous.media.get(file)
    if (!known || known.size !== picture.size || known.mtime.getTime() !== picture.mtime.getTime()) media.push(file)
  }
  for (const file of previous.media.keys()) if (!next.media.has(file)) media.push(file)
  return { articles, media }
}

/** Whether a change moves the article in or out of its lists, or between them: it joined, left, has a new date, or other tags or authors. */
export function changesLists({ before, after }: ArticleChange): boolean {
  return !before || !after || before.date.getTime() !== after.date.getTime() || topicsOf(before) !== topicsOf(after)
}

/** Tags and authors as lists name them: a new name (the list's title) or a new slug changes the lists. */
function topicsOf(article: Article): string {
  return JSON.stringify([article.tags, article.authors.map((author) => [author.slug, author.name])])
}
