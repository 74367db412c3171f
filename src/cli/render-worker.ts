import type { Article } from '../content/parse-article.js'
import { ArticleRenderer } from '../markdown/render-article.js'

/** One batch of articles for a render worker. */
export interface RenderTask {
  baseUrl: string
  /** The disk cache the main thread reads back from. */
  cacheDir: string
  articles: Article[]
}

/**
 * Piscina worker: render a batch of articles into the disk render cache, so the main
 * thread finds them there. A fresh renderer per batch keeps a worker's memory flat.
 * Returns how many articles were rendered.
 */
export default function renderArticles(task: RenderTask): number {
  const renderer = new ArticleRenderer(task.baseUrl, task.cacheDir)
  for (const article of task.articles) renderer.render(article)
  return task.articles.length
}
