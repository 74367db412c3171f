import { stat } from 'node:fs/promises'
import path from 'node:path'
import type { Logger } from '../logger.js'
import { contentKindOf, isContentPath } from './content-kind.js'
import { listContentFiles } from './load-content.js'
import { watchFolder, type FolderWatcher } from './watch-folder.js'

/** What a changed path is: an article, a picture, or a path that publishes nothing (looked at only in case it is, or was, a link). */
export type ChangeKind = 'article' | 'media' | 'other'

/** The changed paths applied together, each with its kind, in the order they were seen. */
export type ChangeBatch = ReadonlyArray<readonly [file: string, kind: ChangeKind]>

/** What was read, as a rescan compares it with the folder (the content store's own maps, read only). */
export interface ReadFiles {
  articles: ReadonlyMap<string, { read?: { size: number; mtimeMs: number } | undefined }>
  media: ReadonlyMap<string, { size: number; mtime: Date }>
  links: ReadonlySet<string>
}

/** Options of `createChangeQueue`. */
export interface ChangeQueueOptions {
  contentDir: string
  logger: Logger
  /** What was read, for the rescans. */
  readFiles: () => ReadFiles
  /** Apply one batch; batches never overlap, and one that throws is logged without stopping later ones. */
  onBatch: (batch: ChangeBatch) => Promise<void>
}

/** Changed paths of a watched content folder, handed on in batches once the folder is quiet. */
export interface ChangeQueue {
  /** Resolves once every folder is watched (changes seen meanwhile are queued, not yet handed on). */
  readonly ready: Promise<void>
  /** Start handing batches on (the content is loaded), and catch up with what changed while it loaded. */
  start(): Promise<void>
  /** Stop watching; resolves once the batch and rescan under way are done. */
  close(): Promise<void>
}

// A save is a burst of events (write, rename, chmod), and a git pull or a copy of many
// files a longer one: a batch is handed on once the folder has been quiet this long, so a
// burst publishes as one version (and each edit waits this long). Events that keep coming
// wait at most `maxSettleMs` after the first, so a folder never quiet still publishes.
const settleMs = 100
const maxSettleMs = 1_000

/**
 * Watch a content folder and turn what changes in it into batches of paths: watcher
 * events, and rescans (when folders come and go, and once after the load) that queue
 * every file whose size or time differs from what was read. What is queued before
 * `start` waits for it.
 */
export function createChangeQueue(options: ChangeQueueOptions): ChangeQueue {
  const { contentDir, logger } = options
  const pending = new Map<string, ChangeKind>()
  let started = false
  let closed = false
  let settle: NodeJS.Timeout | undefined
  // When the first change of the pending burst was seen (see `maxSettleMs`).
  let settleSince: number | undefined
  let applying: Promise<void> = Promise.resolve()
  let rescanning: Promise<void> | undefined
  let rescanAgain = false

  const watcher: FolderWatcher = watchFolder(contentDir, {
    includeFolder: isContentPath,
    onPath: (file) => {
      if (!isContentPath(file)) return
      pending.set(file, contentKindOf(file) ?? 'other')
      // Changes seen while the folder is first read are applied once it is loaded.
      if (started) scheduleBatch()
    },
    // Until the content is loaded, the catch-up that follows the load covers it.
    onFolders: () => void (started && rescan()),
    onError: (error) => logger.error({ err: error }, 'content watcher failed'),
  })

  function scheduleBatch(): void {
    if (closed) return
    clearTimeout(settle)
    const now = Date.now()
    settleSince ??= now
    settle = setTimeout(() => {
      settle = undefined
      settleSince = undefined
      // A failed batch is logged; it must not stop every later change from being applied.
      applying = applying.then(handOn).catch((error: unknown) => logger.error({ err: error }, 'applying content changes failed'))
    }, Math.max(0, Math.min(settleMs, settleSince + maxSettleMs - now)))
  }

  async function handOn(): Promise<void> {
    if (closed || pending.size === 0) return
    const batch = [...pending]
    pending.clear()
    await options.onBatch(batch)
  }

  /**
   * Watch the folders that exist now, then queue every file that differs from what was
   * read. One at a time: a folder moved in with others inside reports once per folder.
   */
  function rescan(): Promise<void> {
    if (closed) return Promise.resolve()
    if (rescanning) {
      rescanAgain = true
      return rescanning
    }
    const run = async () => {
      do {
        rescanAgain = false
        try {
          await watcher.sync()
          await catchUp()
        } catch (error) {
          // The folder may be gone for a moment (replaced whole): the last content stays
          // published, and a rescan asked for meanwhile still runs.
          logger.error({ err: error }, 'reading the content folder again failed')
        }
      } while (rescanAgain && !closed)
    }
    rescanning = run().finally(() => (rescanning = undefined))
    return rescanning
  }

  /**
   * Queue what changed without an event: a file saved before its folder was watched,
   * or the files of a folder moved in or away. Every file whose size or modification
   * time differs from the version read, and every file added or removed, is read again.
   */
  async function catchUp(): Promise<void> {
    const { articles, media, links } = await listContentFiles(contentDir)
    const read = options.readFiles()
    const differs = async (file: string, stamp: { size: number; mtimeMs: number } | undefined) => {
      if (!stamp) return true
      try {
        const stats = await stat(path.join(contentDir, file))
        return stats.size !== stamp.size || stats.mtime.getTime() !== stamp.mtimeMs
      } catch {
        return true
      }
    }
    const check = async (files: string[], stampOf: (file: string) => { size: number; mtimeMs: number } | undefined, known: ReadonlyMap<string, unknown>, kind: ChangeKind) => {
      const listed = new Set(files)
      const changed = await Promise.all(files.map((file) => differs(file, stampOf(file))))
      files.forEach((file, index) => changed[index] && pending.set(file, kind))
      for (const file of known.keys()) if (!listed.has(file)) pending.set(file, kind)
    }
    await check(articles, (file) => read.articles.get(file)?.read, read.articles, 'article')
    await check(media, (file) => {
      const known = read.media.get(file)
      return known && { size: known.size, mtimeMs: known.mtime.getTime() }
    }, read.media, 'media')
    // Links come and go without a size to compare: queue the new ones and the gone ones.
    for (const file of links) if (!read.links.has(file)) pending.set(file, contentKindOf(file) ?? 'other')
    for (const file of read.links) if (!links.includes(file)) pending.set(file, contentKindOf(file) ?? 'other')
    if (pending.size > 0) scheduleBatch()
  }

  return {
    ready: watcher.ready,
    start() {
      started = true
      if (pending.size > 0) scheduleBatch()
      return watcher.ready.then(rescan)
    },
    async close() {
      // Nothing is handed on once closing starts, even by a catch-up under way.
      closed = true
      clearTimeout(settle)
      watcher.close()
      await rescanning
      await applying
    },
  }
}
