import path from 'node:path'

/** What a file of the content folder is published as. */
export type ContentKind = 'article' | 'media'

/** Extensions of article files, in any letter case (`a.md`, `B.MD`, `c.markdown`). */
const articleExtensions = new Set(['.md', '.markdown'])

/**
 * The pictures served under `/media/`, by extension (any letter case), with the type they
 * are sent as. Nothing else is: HTML, XML, scripts or an unknown type from the content
 * folder would run or be sniffed on the site's origin.
 */
export const publishedImageTypes: Readonly<Record<string, string>> = {
  '.avif': 'image/avif',
  '.gif': 'image/gif',
  '.jpeg': 'image/jpeg',
  '.jpg': 'image/jpeg',
  '.png': 'image/png',
  '.svg': 'image/svg+xml; charset=utf-8',
  '.webp': 'image/webp',
}

// Extensions editors, merge tools and downloads give copies and half-written files.
const backupExtensions = new Set(['.bak', '.backup', '.bck', '.bk', '.old', '.orig', '.rej', '.sav', '.save', '.swo', '.swn', '.swp', '.swx', '.tmp', '.temp', '.part', '.crdownload', '.kate-swp'])
// JetBrains' safe-write copies (`a.md___jb_tmp___`) and git mergetool's (`a_BACKUP_1234.md`).
const backupPattern = /___jb_(tmp|old)___$|_(BACKUP|BASE|LOCAL|REMOTE)_[0-9]+(\.|$)/

/**
 * Whether a file or folder name is hidden (`.draft.md`, `.git`), or an editor's backup,
 * swap or lock file (`a.md~`, `#a.md#`, `a.md.bak`, `a.md.swp`, `a.md.orig`, `~$a.md`):
 * such a file holds half-saved or superseded work, never something to publish.
 */
export function isSourceOrBackupName(name: string): boolean {
  return (
    name === '' ||
    name.startsWith('.') ||
    name.startsWith('#') ||
    name.startsWith('~') ||
    name.endsWith('~') ||
    name.endsWith('#') ||
    backupExtensions.has(path.posix.extname(name).toLowerCase()) ||
    backupPattern.test(name)
  )
}

/** Whether no part of a relative path (`/` separators) is hidden or a backup: a folder the content may live in. */
export function isContentPath(relativePath: string): boolean {
  return relativePath.split('/').every((part) => !isSourceOrBackupName(part))
}

/**
 * What a path of the content folder (relative, `/` separators) publishes: an article
 * (`.md` or `.markdown`, any case), a picture of `publishedImageTypes`, or nothing
 * (`undefined`): hidden files and folders, backups, and every other type are neither
 * served nor watched.
 */
export function contentKindOf(relativePath: string): ContentKind | undefined {
  if (!isContentPath(relativePath)) return undefined
  const extension = path.posix.extname(relativePath).toLowerCase()
  if (articleExtensions.has(extension)) return 'article'
  return Object.hasOwn(publishedImageTypes, extension) ? 'media' : undefined
}

/** The media type a published picture is sent with (see `publishedImageTypes`). */
export function mediaTypeOfFile(relativePath: string): string {
  const type = publishedImageTypes[path.posix.extname(relativePath).toLowerCase()]
  if (type === undefined) throw new Error(`${relativePath} is not a published picture type`)
  return type
}
