import { workerData } from 'node:worker_threads'
import { buildCatalog } from '../content/build-catalog.js'
import type { Article } from '../content/parse-article.js'
import { openFragmentStore } from '../feeds/fragment-store.js'
import { ArticleRenderer } from '../markdown/render-article.js'
import { renderLimitsOf } from '../markdown/render-pool.js'
import { inspectBody, type BodyFindings } from '../site/content-problems.js'
import type { SiteContext } from '../site/site-documents.js'
import type { SitePoolData } from './site-pool.js'
import type { StaticEntry } from './static-files.js'
import { createWriter, writeDocuments } from './write-documents.js'

// Piscina worker. Each worker rebuilds the main thread's catalog from the same entries and
// clock (buildCatalog is deterministic), and keeps one renderer, so what it rendered in
// the first phase is still in memory for the second.
let state: { context: SiteContext; byFile: Map<string, Article> } | undefined

function getState(): NonNullable<typeof state> {
  if (state) return state
  const data = workerData as SitePoolData
  const catalog = buildCatalog(data.entries, data.media, data.now)
  // Every render stays in memory: each article is in about five documents per format, and
  // its serialized items (see item-fragments) live as long as its render. Large bodies
  // were rendered (into the disk cache) or found to fail by the main thread first.
  const renderer = new ArticleRenderer({ baseUrl: data.config.baseUrl, cacheDir: data.cacheDir, keepRendered: Math.max(1, data.entries.length), limits: renderLimitsOf(data.config), failures: data.renderFailures })
  const byFile = new Map(data.entries.flatMap((entry) => (entry.article ? [[entry.file, entry.article] as const] : [])))
  state = { context: { config: data.config, catalog, renderer, fragments: openFragmentStore(data.config.cacheDir) }, byFile }
  return state
}

/** Render articles (by file) into the disk cache, and return what the list of problems needs of each. */
export function render(files: string[]): Array<[string, BodyFindings]> {
  const { context, byFile } = getState()
  return files.flatMap((file) => {
    const article = byFile.get(file)
    return article ? [[file, inspectBody(article, context.renderer)] as [string, BodyFindings]] : []
  })
}

/** Write the documents of `paths` under `root`; return where each went, with its headers. */
export function documents({ paths, root }: { paths: string[]; root: string }): StaticEntry[] {
  const { context } = getState()
  return writeDocuments(context, (workerData as SitePoolData).config, paths, createWriter(root))
}
