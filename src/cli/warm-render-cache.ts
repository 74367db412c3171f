import { createRequire } from 'node:module'
import { availableParallelism } from 'node:os'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Piscina } from 'piscina'
import type { Article } from '../content/parse-article.js'
import type { ArticleRenderer } from '../markdown/render-article.js'
import type { Progress } from './progress.js'
import type { RenderTask } from './render-worker.js'

/** Options of `warmRenderCache`. */
export interface WarmOptions {
  baseUrl: string
  /** The disk cache `renderer` reads; workers write into it. */
  cacheDir: string
  /**
   * Render threads; `undefined` picks one per core, and only when enough articles
   * need rendering to pay for starting them. `1` renders on the main thread.
   */
  jobs: number | undefined
  progress: Progress
}

// Starting a worker costs a few hundred milliseconds (loading the Markdown pipeline),
// about the time it takes to render this many articles on the main thread.
const minArticlesForWorkers = 300
// Articles per task: large enough that messaging is negligible, small enough to balance cores.
const batchSize = 40

/**
 * Make sure every article's body is rendered before pages and feeds are built: articles
 * missing from the cache are rendered across cores by worker threads that write the
 * disk cache, which `renderer` then reads. Few misses, or one core, render in place.
 *
 * @returns how many articles had to be rendered
 */
export async function warmRenderCache(articles: ReadonlyArray<Article>, renderer: ArticleRenderer, options: WarmOptions): Promise<number> {
  const missing = articles.filter((article) => !renderer.isCached(article))
  const threads = options.jobs ?? availableParallelism()
  const useWorkers = threads > 1 && missing.length > 0 && (options.jobs !== undefined || missing.length >= minArticlesForWorkers)
  const label = 'rendering articles'
  if (!useWorkers) {
    missing.forEach((article, index) => {
      renderer.render(article)
      options.progress.update(label, index + 1, missing.length)
    })
    return missing.length
  }
  const pool = new Piscina({ ...workerFile(), minThreads: threads, maxThreads: threads })
  try {
    let done = 0
    const tasks: Array<Promise<void>> = []
    for (let start = 0; start < missing.length; start += batchSize) {
      const task: RenderTask = { baseUrl: options.baseUrl, cacheDir: options.cacheDir, articles: missing.slice(start, start + batchSize) }
      tasks.push(
        pool.run(task).then((count: number) => {
          done += count
          options.progress.update(label, done, missing.length)
        }),
      )
    }
    await Promise.all(tasks)
  } finally {
    await pool.destroy()
  }
  return missing.length
}

/**
 * The worker module next to this one: `.js` once compiled; `.ts` under tsx or vitest,
 * where the worker needs tsx's loader to import TypeScript (workers do not inherit it
 * from a test runner).
 */
function workerFile(): { filename: string; execArgv?: string[] } {
  const typescript = import.meta.url.endsWith('.ts')
  const filename = fileURLToPath(new URL(typescript ? './render-worker.ts' : './render-worker.js', import.meta.url))
  if (!typescript) return { filename }
  const loader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href
  return { filename, execArgv: ['--import', loader] }
}
