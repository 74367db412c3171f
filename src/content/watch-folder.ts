import { statSync, watch, type FSWatcher } from 'node:fs'
import { readdir } from 'node:fs/promises'
import path from 'node:path'

/** What `watchFolder` reports, with paths relative to the watched folder, `/`-separated. */
export interface FolderWatchHandlers {
  /** Whether a folder (relative path, `''` for the root) is watched at all. */
  includeFolder: (relativeFolder: string) => boolean
  /** Something happened to this path: a file was written, added, renamed or removed. */
  onPath: (relativePath: string) => void
  /**
   * Folders may have appeared, moved or gone: what they hold must be listed again.
   * The watcher has already started watching the folders that exist.
   */
  onFolders: () => void
  onError: (error: Error) => void
}

/** A running `watchFolder`. */
export interface FolderWatcher {
  /** Resolves once every folder of the tree is watched. */
  ready: Promise<void>
  /** Watch the folders that exist now and stop watching those that are gone. */
  sync: () => Promise<void>
  close: () => void
}

/**
 * Watch a folder tree and report each changed path as soon as the system tells.
 *
 * Written by hand on `fs.watch`, one non-recursive watcher per folder, because the
 * libraries cost an edit too much: chokidar reads a whole folder again (an `lstat` per
 * file) at every change in it, 60 ms of main thread per edit in a folder of a thousand
 * articles; `@parcel/watcher` holds every event back 50 ms; and Node 20's recursive
 * `fs.watch` polls every file on Linux.
 *
 * @param root absolute path of the folder
 */
export function watchFolder(root: string, handlers: FolderWatchHandlers): FolderWatcher {
  const watchers = new Map<string, FSWatcher>()
  let closed = false

  const relativeOf = (folder: string) => (folder === '' ? '' : `${folder}/`)

  const add = (folder: string) => {
    if (closed || watchers.has(folder)) return
    let watcher: FSWatcher
    try {
      watcher = watch(path.join(root, folder), (event, name) => {
        // Some systems leave out the name: anything in the folder may have changed.
        if (name === null) return handlers.onFolders()
        const relative = relativeOf(folder) + name.split(path.sep).join('/')
        // A rename may be a folder coming or going; a file write is a plain change.
        if (event === 'rename' && (watchers.has(relative) || isFolder(path.join(root, relative)))) handlers.onFolders()
        else handlers.onPath(relative)
      })
    } catch (error) {
      // The folder went away between listing and watching it; its parent reports that.
      // Any other failure (the system's limit on watches, say) is reported, and the rest
      // of the tree is still watched: the service goes on without this folder's events.
      if (!isMissing(error)) handlers.onError(error as Error)
      return
    }
    watcher.on('error', (error) => {
      // The folder itself was removed (or can no longer be read): stop watching it.
      watcher.close()
      watchers.delete(folder)
      if (isMissing(error) || (error as NodeJS.ErrnoException).code === 'EPERM') handlers.onFolders()
      else handlers.onError(error)
    })
    watchers.set(folder, watcher)
  }

  const sync = async () => {
    const folders = await listFolders(root, handlers.includeFolder)
    if (closed) return
    const present = new Set(folders)
    for (const [folder, watcher] of watchers) {
      if (present.has(folder)) continue
      watcher.close()
      watchers.delete(folder)
    }
    for (const folder of folders) add(folder)
  }

  return {
    // A failure is reported, never thrown at the service (content without a watcher is still served).
    ready: sync().catch((error: unknown) => handlers.onError(error as Error)),
    sync,
    close: () => {
      closed = true
      for (const watcher of watchers.values()) watcher.close()
      watchers.clear()
    },
  }
}

/** The folder and every folder under it that `include` accepts (relative paths, `''` first). */
async function listFolders(root: string, include: (relativeFolder: string) => boolean): Promise<string[]> {
  const folders = ['']
  for (let index = 0; index < folders.length; index++) {
    const folder = folders[index]!
    let entries
    try {
      entries = await readdir(path.join(root, folder), { withFileTypes: true })
    } catch (error) {
      // Gone since it was listed, or unreadable: the content loader reports what it cannot read.
      if (isMissing(error) || folder !== '') continue
      throw error
    }
    for (const entry of entries) {
      if (!entry.isDirectory()) continue
      const relative = `${folder === '' ? '' : `${folder}/`}${entry.name}`
      if (include(relative)) folders.push(relative)
    }
  }
  return folders
}

function isFolder(file: string): boolean {
  try {
    // Synchronous: one stat from the page cache, and the caller decides on the spot.
    return statSync(file).isDirectory()
  } catch {
    return false
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code
  return code === 'ENOENT' || code === 'ENOTDIR'
}
