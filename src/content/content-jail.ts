import { closeSync, constants, fstatSync, lstatSync, openSync, readFileSync, readlinkSync, realpathSync, statSync } from 'node:fs'
import path from 'node:path'
import type { Problem } from './format-problem.js'

/**
 * A content file that may not be read: a symbolic link, a path through one, something
 * other than a file. The message names no absolute path, since problems reach `/status`.
 */
export class ContentFileError extends Error {
  override name = 'ContentFileError'
}

// O_NOFOLLOW refuses a link as the last part of the path (there is none on Windows);
// O_NONBLOCK keeps a FIFO put in place of a file from blocking the open.
const openFlags = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0)

/**
 * Open a file of the content folder for reading, and make sure the file opened is that
 * very file: not a symbolic link, not reached through a linked folder, not a file that
 * leads outside the folder. Checked on the open descriptor, so a file swapped for a link
 * after it was listed is refused too. Links are never followed, even inside the folder.
 *
 * @param contentDir the content folder (it may itself be a link: the jail is what it resolves to)
 * @param file path relative to it, `/` separators
 * @returns an open descriptor; the caller closes it
 * @throws ContentFileError when the file cannot be opened or is not the file asked for
 */
export function openContentFile(contentDir: string, file: string): number {
  const absolute = path.join(contentDir, file)
  let fd: number
  try {
    fd = openSync(absolute, openFlags)
  } catch (error) {
    throw new ContentFileError(describeOpenError(error))
  }
  try {
    if (!fstatSync(fd).isFile()) throw new ContentFileError('is not a file')
    const opened = openedPath(fd, absolute)
    const root = realpathSync.native(contentDir)
    if (opened !== path.join(root, file)) throw new ContentFileError(isInside(root, opened) ? 'is reached through a symbolic link; links are not followed' : 'leads outside the content folder through a symbolic link; links are not followed')
    return fd
  } catch (error) {
    closeSync(fd)
    throw error
  }
}

/** Read a whole file of the content folder through `openContentFile`. */
export function readContentFile(contentDir: string, file: string): Buffer {
  const fd = openContentFile(contentDir, file)
  try {
    return readFileSync(fd)
  } finally {
    closeSync(fd)
  }
}

/**
 * Read a file the catalog lists (a picture) through `readContentFile`, from its absolute
 * path and its path in the content folder.
 */
export function readListedFile(file: { absolutePath: string; path: string }): Buffer {
  return readContentFile(contentFolderOf(file.absolutePath, file.path), file.path)
}

/** The content folder of a file, from its absolute path (the folder joined with `file`) and `file`. */
export function contentFolderOf(absolutePath: string, file: string): string {
  return absolutePath.slice(0, absolutePath.length - file.length)
}

/** Whether a path of the content folder is a symbolic link itself (not what it points to). */
export function isSymbolicLink(contentDir: string, file: string): boolean {
  return lstatSync(path.join(contentDir, file), { throwIfNoEntry: false })?.isSymbolicLink() ?? false
}

/**
 * The problem a symbolic link of the content folder is reported as: it is never
 * published, wherever it leads; the message says whether it leaves the folder, without
 * saying where to (`/status` lists it).
 */
export function linkProblem(contentDir: string, file: string): Problem {
  let target: string | undefined
  try {
    target = realpathSync.native(path.join(contentDir, file))
  } catch {
    target = undefined
  }
  const where =
    target === undefined
      ? 'a symbolic link to nothing'
      : isInside(realpathSync.native(contentDir), target)
        ? 'a symbolic link; links are not published, even inside the content folder (move or copy the file here instead)'
        : 'a symbolic link to a place outside the content folder; it is not published'
  return { file, field: 'file', message: `is ${where}` }
}

/**
 * The path of the file an open descriptor reads. Linux tells it exactly (`/proc/self/fd`),
 * with no window for a swap; elsewhere, the resolved name, if it is still the file opened.
 */
function openedPath(fd: number, absolute: string): string {
  try {
    return readlinkSync(`/proc/self/fd/${fd}`)
  } catch {
    const resolved = realpathSync.native(absolute)
    const opened = fstatSync(fd)
    const named = statSync(resolved)
    if (opened.ino !== named.ino || opened.dev !== named.dev) throw new ContentFileError('changed while it was opened')
    return resolved
  }
}

function isInside(root: string, target: string): boolean {
  const relative = path.relative(root, target)
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative)
}

// An error's own message names the absolute path: only the reason is kept.
function describeOpenError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code
  switch (code) {
    case 'ELOOP':
    case 'EMLINK':
      return 'is a symbolic link; links are not followed'
    case 'ENOENT':
      return 'cannot be read: it does not exist (any more)'
    case 'EACCES':
    case 'EPERM':
      return 'cannot be read: permission denied'
    case 'EISDIR':
      return 'cannot be read: it is a folder'
    default:
      return `cannot be read (${code ?? 'unknown error'})`
  }
}
