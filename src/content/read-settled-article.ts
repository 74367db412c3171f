import { stat } from 'node:fs/promises'
import path from 'node:path'
import type { ContentEntry } from './catalog.js'
import { loadArticle, prepareParser } from './load-content.js'
import type { ArticleDefaults } from './parse-article.js'

// A file is taken as saved once its size and modification time have not moved for this
// long. Editors write in place (truncate, then write in pieces) or write a temporary file
// and rename it; in both cases the pieces follow each other within a few milliseconds. It
// is waited for only when the file changed less than this long ago, so an edit is
// published this much later at most, not hundreds of milliseconds later.
const settledMs = 20
// A file that fails to parse, or is empty, right after a change may be mid-write: read it
// again after these delays before reporting it. An empty file is what an editor that
// truncates first leaves for a moment; publishing it would publish an empty article.
const retryDelaysMs = [40, 120, 300, 600]
// A file written without a pause for longer than this many reads is taken as it is.
const maxReads = 50

/**
 * Read an edited article once it has settled (see `settledMs`), for the live content
 * store; `undefined` when the file is gone.
 *
 * @param options.maxBytes the largest file read (see `content.maxFileBytes`)
 */
export async function readSettledArticle(contentDir: string, file: string, defaults: ArticleDefaults, options: { maxBytes?: number | undefined } = {}): Promise<ContentEntry | undefined> {
  const absolute = path.join(contentDir, file)
  await prepareParser()
  for (let attempt = 0; ; attempt++) {
    const before = await identityOf(absolute)
    if (!before) return undefined
    // An empty file is what an editor that truncates first leaves for a moment: read
    // again, and reported only if it stays empty.
    if (before.size === 0 && attempt < retryDelaysMs.length) {
      await sleep(retryDelaysMs[attempt]!)
      continue
    }
    const entry = loadArticle(contentDir, file, defaults, { withBody: true, maxBytes: options.maxBytes })
    const read = entry.read
    if (read) {
      const age = Date.now() - read.mtimeMs
      if (age < settledMs && attempt < maxReads) {
        await sleep(settledMs - Math.max(0, age))
        const now = await identityOf(absolute)
        // Still being written: read the newer version.
        if (!now || now.size !== read.size || now.mtimeMs !== read.mtimeMs) continue
      }
    }
    if (entry.article || attempt >= retryDelaysMs.length) return entry
    await sleep(retryDelaysMs[attempt]!)
  }
}

async function identityOf(file: string): Promise<{ size: number; mtimeMs: number } | undefined> {
  try {
    const stats = await stat(file)
    return stats.isFile() ? { size: stats.size, mtimeMs: stats.mtime.getTime() } : undefined
  } catch {
    return undefined
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
