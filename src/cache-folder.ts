import { accessSync, constants, mkdirSync, statSync, utimesSync } from 'node:fs'
import { readdir, rm, stat } from 'node:fs/promises'
import path from 'node:path'

/** What `openCacheFolder` found: the folder to use, or why there is none. */
export type CacheFolder = { dir: string; warning?: undefined } | { dir: undefined; warning: string | undefined }

/**
 * Make sure a cache folder can be used (created if missing, a folder, writable), so that
 * an unusable `CACHE_DIR` costs speed, never the service: `dir` is then `undefined` and
 * `warning` says why, for the caller to log. `undefined` in, nothing to check.
 */
export function openCacheFolder(dir: string | undefined): CacheFolder {
  if (dir === undefined) return { dir: undefined, warning: undefined }
  try {
    makeFolderSync(dir)
    accessSync(dir, constants.W_OK | constants.X_OK)
    return { dir }
  } catch (error) {
    return { dir: undefined, warning: `the cache folder ${dir} cannot be used (${(error as Error).message}); running without a disk cache` }
  }
}

/**
 * `mkdir -p`, one level at a time. Written by hand because Node 20's
 * `mkdirSync(dir, { recursive: true })` never returns when a parent exists but cannot
 * hold folders (`/proc/x`, a link to nowhere): it goes back and forth between ENOENT for
 * the child and EEXIST for the parent.
 */
export function makeFolderSync(dir: string): void {
  try {
    mkdirSync(dir)
    return
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EEXIST') return assertFolder(dir, error as Error)
    const parent = path.dirname(dir)
    if (code !== 'ENOENT' || parent === dir) throw error
  }
  makeFolderSync(path.dirname(dir))
  // Once: a second ENOENT with the parent in place is final.
  try {
    mkdirSync(dir)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    assertFolder(dir, error as Error)
  }
}

function assertFolder(dir: string, error: Error): void {
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw Object.assign(new Error(`${dir} exists and is not a folder`), { cause: error })
}

// A file used at the very start of a run may carry a time a little before it (clocks of
// network file systems, coarse timestamps): spare those.
const usedSlackMs = 10_000

/**
 * Mark a cache file as used by this run (its modification time), so that
 * `removeUnusedFiles` keeps it. A failure only means it may be made again later.
 */
export function markUsed(file: string): void {
  try {
    const now = new Date()
    utimesSync(file, now, now)
  } catch {
    // Gone meanwhile, or a read-only cache: nothing to keep.
  }
}

/**
 * Remove the files under `folders` (one level of sub-folders, as the caches shard them)
 * not written or marked used since `since`: entries of articles edited or removed, of
 * other settings or versions, and temporary files of killed writers. What stays is what
 * the run that started at `since` used, plus what other runs used meanwhile.
 *
 * @returns how many files were removed
 */
export async function removeUnusedFiles(folders: ReadonlyArray<string>, since: number): Promise<number> {
  let removed = 0
  for (const folder of folders) {
    const shards = await readdir(folder, { withFileTypes: true }).catch(() => [])
    for (const shard of shards) {
      if (!shard.isDirectory()) continue
      const shardPath = path.join(folder, shard.name)
      for (const name of await readdir(shardPath).catch(() => [] as string[])) {
        const file = path.join(shardPath, name)
        const info = await stat(file).catch(() => undefined)
        if (!info?.isFile() || info.mtimeMs >= since - usedSlackMs) continue
        await rm(file, { force: true })
        removed++
      }
    }
  }
  return removed
}
