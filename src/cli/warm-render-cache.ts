import type { Article } from '../content/parse-article.js'
import type { ArticleRenderer } from '../markdown/render-article.js'
import type { Progress } from './progress.js'
import { createSitePool, type SitePoolData } from './site-pool.js'
import { chooseWorkerThreads } from './worker-policy.js'

/** Options of `warmRenderCache`. */
export interface WarmOptions {
  /** The content, for the workers; `cacheDir` must be the disk cache `renderer` reads. */
  poolData: SitePoolData
  /**
   * Render threads; `undefined` picks one per core, and only when enough articles
   * need rendering to pay for starting them. `1` renders on the main thread.
   */
  jobs: number | undefined
  progress: Progress
}

/**
 * Make sure every article's body is rendered: large bodies first, by `renderer.prepare`
 * within the render limits; then articles missing from the cache are rendered across
 * cores by worker threads that write the disk cache, which `renderer` then reads. Few
 * misses, or one core, render in place.
 */
export async function warmRenderCache(articles: ReadonlyArray<Article>, renderer: ArticleRenderer, options: WarmOptions): Promise<void> {
  await renderer.prepare(articles)
  const missing = articles.filter((article) => renderer.needsRender(article))
  const threads = chooseWorkerThreads(options.jobs, { articles: missing.length, documents: 0 })
  if (threads > 0) {
    const pool = createSitePool({ ...options.poolData, renderFailures: renderer.failures() }, threads)
    try {
      await pool.render(
        missing.map((article) => article.file),
        options.progress,
      )
    } finally {
      await pool.close()
    }
    return
  }
  missing.forEach((article, index) => {
    renderer.render(article)
    options.progress.update('rendering articles', index + 1, missing.length)
  })
}
