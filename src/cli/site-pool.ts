import { fileURLToPath } from 'node:url'
import { Piscina } from 'piscina'
import type { Config } from '../config.js'
import type { ContentEntry, MediaFile } from '../content/catalog.js'
import type { Problem } from '../content/format-problem.js'
import type { Article } from '../content/parse-article.js'
import type { BodyFindings } from '../site/content-problems.js'
import type { Progress } from './progress.js'
import type { StaticEntry } from './static-files.js'

/** What every worker starts from: the content as the main thread loaded it. */
export interface SitePoolData {
  config: Config
  entries: ContentEntry[]
  media: Map<string, MediaFile>
  now: Date
  /** The disk render cache the workers and the main thread share. */
  cacheDir: string
  /** Bodies the main thread found to fail (see `ArticleRenderer.failures`): the workers do not render them again. */
  renderFailures?: Array<[string, Problem]> | undefined
}

/** Worker threads that render articles and write documents, sharing the main thread's content. */
export interface SitePool {
  /** Render articles (by file) into the disk cache, split across threads; the body findings of each, by file. */
  render(files: ReadonlyArray<string>, progress: Progress): Promise<Map<string, BodyFindings>>
  /** Write the documents of `paths` under `root`, split across threads; entries in the order of `paths`. */
  documents(paths: ReadonlyArray<string>, root: string, progress: Progress): Promise<StaticEntry[]>
  close(): Promise<void>
}

// Articles per render task: messaging stays negligible, and threads stay balanced.
const renderBatch = 40

/**
 * Start `threads` workers. The content is cloned to each once (as `workerData`), so
 * tasks carry only file names and URL paths.
 */
export function createSitePool(data: SitePoolData, threads: number): SitePool {
  const entries = data.entries.map((entry) => (entry.article ? { ...entry, article: toPlainArticle(entry.article) } : entry))
  const pool = new Piscina({ filename: workerFile(), workerData: { ...data, entries }, minThreads: threads, maxThreads: threads })
  return {
    async render(files, progress) {
      let done = 0
      const batches = chunk(files, renderBatch)
      const results = await Promise.all(
        batches.map(async (batch) => {
          const findings = (await pool.run(batch, { name: 'render' })) as Array<[string, BodyFindings]>
          done += batch.length
          progress.update('rendering articles', done, files.length)
          return findings
        }),
      )
      return new Map(results.flat())
    },
    async documents(paths, root, progress) {
      let done = 0
      // Several chunks per thread, so one slow chunk (long feeds) does not leave a core idle.
      const batches = chunk(paths, Math.max(20, Math.ceil(paths.length / (threads * 8))))
      const results = await Promise.all(
        batches.map(async (batch) => {
          const entries = (await pool.run({ paths: batch, root }, { name: 'documents' })) as StaticEntry[]
          done += batch.length
          progress.update('writing files', done, paths.length)
          return entries
        }),
      )
      return results.flat()
    },
    close: () => pool.destroy(),
  }
}

function chunk<T>(items: ReadonlyArray<T>, size: number): T[][] {
  const chunks: T[][] = []
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size))
  return chunks
}

/**
 * The worker module next to this one: `site-worker.js` once compiled; from TypeScript
 * sources (tsx, vitest), a bootstrap that registers tsx inside the worker first.
 */
function workerFile(): string {
  const typescript = import.meta.url.endsWith('.ts')
  return fileURLToPath(new URL(typescript ? './site-worker-tsx.mjs' : './site-worker.js', import.meta.url))
}

/**
 * A plain copy of an article, every field read: what a structured clone (to a worker
 * thread) keeps whole. An article from the index reads some fields on demand, and a
 * clone copies only own data properties.
 */
function toPlainArticle(article: Article): Article {
  const { file, slug, id, aliases, title, date, updated, authors, summary, lang, tags, image, sources, draft, body, bodyLine, fileModified, fileSize, sourcePath } = article
  // Every key required: a field added to Article and not copied here does not compile.
  const plain: { [Key in keyof Required<Article>]: Article[Key] } = { file, slug, id, aliases, title, date, updated, authors, summary, lang, tags, image, sources, draft, body, bodyLine, fileModified, fileSize, sourcePath }
  return plain
}
