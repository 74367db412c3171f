import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import { makeFolderSync, markUsed, removeUnusedFiles } from '../cache-folder.js'
import { writeFileAtomicallySync } from '../write-file-atomically.js'
import type { RenderedBody } from './render-markdown.js'

// Typed as what it must give back, so a field added to RenderedBody and not here fails to compile.
const entrySchema: z.ZodType<RenderedBody & { key: string }> = z.object({
  key: z.string(),
  html: z.string(),
  excerpt: z.string(),
  rejected: z.array(z.object({ src: z.string(), line: z.number().optional() })),
  images: z.array(
    z.object({
      url: z.string(),
      alt: z.string(),
      credit: z.string().optional(),
      copyright: z.string().optional(),
      line: z.number().optional(),
    }),
  ),
})

/**
 * Rendered Markdown kept in memory and, when a folder is given, on disk, so that a
 * restart does not render every article again. An entry is found by a hash of
 * everything the HTML depends on; a file that is unreadable, corrupt or written for
 * another key is ignored and rewritten, never served.
 */
export class RenderCache {
  /** Used only without a folder (tests, `CACHE_DIR=`), as the cache of last resort. */
  readonly #memory = new Map<string, RenderedBody>()
  readonly #dir: string | undefined

  /** @param dir folder for cache files, `undefined` (or a folder that cannot be made) for memory only */
  constructor(dir: string | undefined) {
    this.#dir = dir && isUsable(dir) ? dir : undefined
  }

  /** Key of a render: the renderer version and every input of `renderMarkdown`. */
  static keyOf(parts: ReadonlyArray<string>): string {
    const hash = createHash('sha256')
    for (const part of parts) hash.update(part).update('\0')
    return hash.digest('hex')
  }

  /** The cached render for `key`, or `undefined`. */
  get(key: string): RenderedBody | undefined {
    const hit = this.#memory.get(key)
    if (hit || !this.#dir) return hit
    try {
      const parsed = entrySchema.safeParse(JSON.parse(readFileSync(this.#fileOf(key), 'utf8')))
      if (!parsed.success || parsed.data.key !== key) return undefined
      const { key: _key, ...body } = parsed.data
      markUsed(this.#fileOf(key))
      // Not kept in memory as well: ArticleRenderer keeps each article's finished render,
      // and a second copy of ten thousand bodies would double the service's memory.
      return body
    } catch {
      return undefined
    }
  }

  /** Remember a render, on disk too; a write that fails only costs a later render. */
  set(key: string, value: RenderedBody): void {
    if (!this.#dir) {
      this.#memory.set(key, value)
      return
    }
    // The cache is an optimisation: if the write fails, the render is still served from memory.
    writeFileAtomicallySync(this.#fileOf(key), JSON.stringify({ key, ...value }))
  }

  /** Whether entries are kept in memory (there is no folder). */
  get inMemory(): boolean {
    return this.#dir === undefined
  }

  /** Forget in-memory entries whose key is not in `keep`, so edits do not grow memory without bound. */
  retain(keep: ReadonlySet<string>): void {
    for (const key of this.#memory.keys()) if (!keep.has(key)) this.#memory.delete(key)
  }

  /**
   * Remove the renders on disk not read or written since `since` (see `removeUnusedFiles`):
   * run once every article has been rendered, it leaves the renders of the current content.
   */
  async removeUnused(since: number): Promise<number> {
    return this.#dir === undefined ? 0 : removeUnusedFiles([this.#dir], since)
  }

  #fileOf(key: string): string {
    return path.join(this.#dir!, `${key.slice(0, 2)}`, `${key}.json`)
  }
}

// The server and the CLI check the folder first and say why it cannot be used (see openCacheFolder).
function isUsable(dir: string): boolean {
  try {
    makeFolderSync(dir)
    return true
  } catch {
    return false
  }
}
