import { fileURLToPath } from 'node:url'
import { Piscina } from 'piscina'
import type { ContentEntry } from './build-catalog.js'
import type { ArticleDefaults } from './parse-article.js'
import type { ParseTask } from './parse-worker.js'

/**
 * Read and validate many article files across `threads` worker threads, in the order
 * given. YAML parsing and validation cost about a quarter of a millisecond per article,
 * and nothing else can use a second core while the service starts.
 */
export async function parseInWorkers(contentDir: string, files: string[], defaults: ArticleDefaults, threads: number): Promise<ContentEntry[]> {
  const pool = new Piscina<ParseTask, ContentEntry[]>({
    filename: workerFile(),
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: 0,
    // A worker's default young generation is small: parsing allocates so much short-lived
    // data that scavenges made a worker half as fast as the main thread.
    resourceLimits: { maxYoungGenerationSizeMb: 64 },
  })
  try {
    // A few batches per thread, so a slow batch does not leave a core idle at the end.
    const size = Math.ceil(files.length / (threads * 4))
    const batches: string[][] = []
    for (let start = 0; start < files.length; start += size) batches.push(files.slice(start, start + size))
    const results = await Promise.all(batches.map((batch) => pool.run({ contentDir, files: batch, defaults })))
    return results.flat()
  } finally {
    await pool.destroy()
  }
}

/** `parse-worker.js` once compiled; from TypeScript sources, a bootstrap that registers tsx first. */
function workerFile(): string {
  const typescript = import.meta.url.endsWith('.ts')
  return fileURLToPath(new URL(typescript ? './parse-worker-tsx.mjs' : './parse-worker.js', import.meta.url))
}
