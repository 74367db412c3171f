import { statSync, watch, type FSWatcher, type Stats } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import path from 'node:path'

/** What `watchFolder` reports, with paths relative to the watched folder, `/`-separated. */
export interface FolderWatchHandlers {
  /** Whether a folder below the root (relative path) is watched at all; the root always is. */
  includeFolder: (relativeFolder: string) => boolean
  /** Something happened to this path: a file was written, added, renamed or removed. */
  onPath: (relativePath: string) => void
  /**
   * Folders may have appeared, moved, gone or been replaced: what they hold must be listed
   * again, after `sync()` (which watches the folders that exist then).
   */
  onFolders: () => void
  onError: (error: Error) => void
}

/** A running `watchFolder`. */
export interface FolderWatcher {
  /** Resolves once every folder of the tree is watched. */
  ready: Promise<void>
  /** Watch the folders that exist now (a folder replaced under the same name included) and stop watching those that are gone. */
  sync: () => Promise<void>
  close: () => void
}

// While the watched folder itself is missing, how often to look for it again.
const rootRetryMs = 1_000

/**
 * Watch a folder tree and report each changed path as soon as the system tells.
 *
 * Written by hand on `fs.watch`, one non-recursive watcher per folder, because the
 * libraries cost an edit too much: chokidar reads a whole folder again (an `lstat` per
 * file) at every change in it, 60 ms of main thread per edit in a folder of a thousand
 * articles; `@parcel/watcher` holds every event back 50 ms; and Node 20's recursive
 * `fs.watch` polls every file on Linux.
 *
 * A watcher follows a folder's inode, not its name: a folder deleted and made again, or
 * swapped by two renames, is watched anew at the next `sync`, which compares each
 * folder's inode and creation time (a new folder often gets the inode just freed).
 *
 * @param root absolute path of the folder
 */
export function watchFolder(root: string, handlers: FolderWatchHandlers): FolderWatcher {
  const watchers = new Map<string, { watcher: FSWatcher; identity: string }>()
  let closed = false
  let retry: NodeJS.Timeout | undefined

  const forget = (folder: string) => {
    watchers.get(folder)?.watcher.close()
    watchers.delete(folder)
  }

  const add = (folder: string, identity: string) => {
    if (closed) return
    const absolute = path.join(root, folder)
    let watcher: FSWatcher
    try {
      watcher = watch(absolute, (event, name) => {
        // Some systems leave out the name: anything in the folder may have changed.
        if (name === null) return handlers.onFolders()
        const relative = (folder === '' ? '' : `${folder}/`) + name.split(path.sep).join('/')
        if (event === 'rename') {
          // The folder itself went away or was replaced (Linux names it in its own event).
          if (identityOf(absolute) !== identity) return handlers.onFolders()
          // A folder inside it came or went.
          if (watchers.has(relative) || isFolder(path.join(root, relative))) return handlers.onFolders()
        } else if (watchers.has(relative)) {
          // A change to a folder's own metadata, not to a file.
          return
        }
        handlers.onPath(relative)
      })
    } catch (error) {
      // The folder went away between listing and watching it: its parent reports that.
      // Any other failure (the system's limit on watches, say) is reported, and the rest
      // of the tree is still watched: the service goes on without this folder's events.
      if (!isMissing(error)) handlers.onError(error as Error)
      return
    }
    watcher.on('error', (error) => {
      // The folder was removed (or can no longer be read): stop watching it.
      forget(folder)
      if (isMissing(error) || (error as NodeJS.ErrnoException).code === 'EPERM') handlers.onFolders()
      else handlers.onError(error)
    })
    watchers.set(folder, { watcher, identity })
  }

  const sync = async () => {
    const folders = await listFolders(root, handlers.includeFolder)
    if (closed) return
    if (folders.size === 0) {
      // The folder itself is gone: look for it again until it is back, then have it read.
      for (const folder of [...watchers.keys()]) forget(folder)
      retry ??= setTimeout(() => {
        retry = undefined
        void sync().then(() => watchers.has('') && handlers.onFolders(), (error: unknown) => handlers.onError(error as Error))
      }, rootRetryMs).unref()
      return
    }
    for (const [folder, { identity }] of [...watchers]) if (folders.get(folder) !== identity) forget(folder)
    for (const [folder, identity] of folders) if (!watchers.has(folder)) add(folder, identity)
  }

  return {
    // A failure is reported, never thrown at the service (content without a watcher is still served).
    ready: sync().catch((error: unknown) => handlers.onError(error as Error)),
    sync,
    close: () => {
      closed = true
      clearTimeout(retry)
      for (const folder of [...watchers.keys()]) forget(folder)
    },
  }
}

/**
 * The folder and every folder under it that `include` accepts (relative paths, `''`
 * first), each with its identity (see `identityOf`); empty when the folder itself is missing.
 */
async function listFolders(root: string, include: (relativeFolder: string) => boolean): Promise<Map<string, string>> {
  const folders = new Map<string, string>()
  const queue = ['']
  for (let index = 0; index < queue.length; index++) {
    const folder = queue[index]!
    const absolute = path.join(root, folder)
    let entries
    try {
      // Folders are few next to files: one stat each is cheap.
      const stats = await stat(absolute)
      entries = await readdir(absolute, { withFileTypes: true })
      folders.set(folder, identityFrom(stats))
    } catch (error) {
      // Gone since it was listed, or unreadable: the content loader reports what it cannot read.
      if (isMissing(error) || folder !== '') continue
      throw error
    }
    for (const entry of entries) {
      if (!entry.isDirectory()) continue
      const relative = `${folder === '' ? '' : `${folder}/`}${entry.name}`
      if (include(relative)) queue.push(relative)
    }
  }
  return folders
}

/** Inode and creation time (0 where the file system does not keep it): what tells a folder from one made again under its name. */
function identityFrom(stats: Stats): string {
  return `${stats.ino}/${stats.birthtimeMs}`
}

// Synchronous: one stat from the page cache, and the caller decides on the spot.
function identityOf(file: string): string | undefined {
  const stats = statSync(file, { throwIfNoEntry: false })
  return stats && identityFrom(stats)
}

function isFolder(file: string): boolean {
  try {
    return statSync(file).isDirectory()
  } catch {
    return false
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code
  return code === 'ENOENT' || code === 'ENOTDIR'
}
