import { closeSync, fstatSync, lstatSync, readFileSync, readSync, statSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import path from 'node:path'
import type { ContentEntry, MediaFile } from './catalog.js'
import { ContentFileError, linkProblem, openContentFile } from './content-jail.js'
import { contentKindOf, isContentPath } from './content-kind.js'
import { ArticleTextError, decodeArticleText } from './decode-article-text.js'
import { FrontMatterIndex } from './front-matter-index.js'
import type { FileIdentity } from './indexed-article.js'
import type { ArticleDefaults, ParseResult } from './parse-article.js'
import { fileTooLargeProblem } from './file-size-limit.js'

// YAML, gray-matter and the zod schema load with the first file the index does not
// have: a warm start, which has them all, never needs them. Loaded with import(), which
// callers await through `prepareParser` (require() of an ES module could meet the same
// modules half-loaded by a concurrent import() and fail to link, as Node 20 does).
let parser: typeof import('./parse-article.js') | undefined

/** Load the front-matter parser; `loadArticle` needs it. */
export async function prepareParser(): Promise<void> {
  parser ??= await import('./parse-article.js')
}

/** What a content folder holds, by kind. */
export interface ContentFiles {
  /** Markdown files, relative to the folder, `/` separators, sorted. */
  articles: string[]
  /** Pictures, served under `/media/` (see `contentKindOf`). */
  media: string[]
  /** Symbolic links (to files or folders), which are never followed: each is a problem. */
  links: string[]
}

/** List the articles, media files and links of a content folder, recursively (see `contentKindOf`). */
export async function listContentFiles(contentDir: string): Promise<ContentFiles> {
  const entries = await readdir(contentDir, { recursive: true, withFileTypes: true })
  const articles: string[] = []
  const media: string[] = []
  const links: string[] = []
  // Each folder's relative path is worked out once, not once per file: ten thousand
  // path.relative calls were a tenth of the start-up.
  const folders = new Map<string, string | null>()
  for (const entry of entries) {
    const link = entry.isSymbolicLink()
    if (!(entry.isFile() || link) || !isContentPath(entry.name)) continue
    let prefix = folders.get(entry.parentPath)
    if (prefix === undefined) {
      const folder = toPosix(path.relative(contentDir, entry.parentPath))
      prefix = folder === '' ? '' : isContentPath(folder) ? `${folder}/` : null
      folders.set(entry.parentPath, prefix)
    }
    if (prefix === null) continue
    const relative = prefix + entry.name
    const kind = contentKindOf(relative)
    if (link) links.push(relative)
    else if (kind === 'article') articles.push(relative)
    else if (kind === 'media') media.push(relative)
  }
  return { articles: articles.sort(), media: media.sort(), links: links.sort() }
}

/**
 * Read and validate one article file's front matter (after `prepareParser`); an
 * unreadable file is a problem, not a crash. Only the head of the file is read: the body is read when a render needs
 * it (see `readArticleBody`), so start-up does not decode every article's text.
 *
 * `withBody` keeps the body too: an edited article's body must stay at hand, since a
 * later broken edit keeps this version published while the file holds the new text.
 *
 * Reads synchronously: a small read comes from the page cache in microseconds, while the
 * promise API costs several thread-pool round trips per file, which made loading ten
 * thousand articles four times slower.
 */
export function loadArticle(contentDir: string, file: string, defaults: ArticleDefaults, options: { withBody?: boolean; maxBytes?: number | undefined } = {}): ContentEntry {
  const absolutePath = path.join(contentDir, file)
  if (!parser) throw new Error('loadArticle needs the parser: await prepareParser() first')
  let head: FileHead
  try {
    head = readFileHead(contentDir, file, options.withBody === true, options.maxBytes ?? Infinity)
  } catch (error) {
    // A ContentFileError says why without the absolute path, which problems must not show.
    const message = error instanceof ContentFileError ? error.message : `cannot be read: ${(error as NodeJS.ErrnoException).code ?? 'unknown error'}`
    return { file, article: undefined, problems: [{ file, line: 1, field: 'file', message }] }
  }
  if (head.tooLarge) return { file, article: undefined, problems: [fileTooLargeProblem(file, head.size, options.maxBytes!)], read: { size: head.size, mtimeMs: head.modified.getTime() } }
  const read = { size: head.size, mtimeMs: head.modified.getTime() }
  let result: ParseResult
  try {
    const text = decodeArticleText(head.bytes)
    result = parser.parseArticle(file, text, defaults, { path: absolutePath, modified: head.modified, size: head.size, headOnly: !head.complete })
  } catch (error) {
    // Another encoding is the editor's to fix where it starts; any other failure is a
    // shape of file no test thought of, and still one problem rather than a service that stops.
    const problem = error instanceof ArticleTextError ? { line: error.line, field: 'encoding', message: error.message } : { line: 1, field: 'file', message: `cannot be parsed: ${(error as Error).message}` }
    return { file, article: undefined, problems: [{ file, ...problem }], read }
  }
  return result.ok ? { file, article: result.article, problems: [], read } : { file, article: undefined, problems: result.problems, read }
}

/** The start of a file, through the line that closes its front matter. */
interface FileHead {
  bytes: Buffer
  /** Whether `bytes` are the whole file. */
  complete: boolean
  modified: Date
  size: number
  /** Larger than allowed: nothing was read. */
  tooLarge?: boolean
}

/** Read a file of the content folder up to the end of its front matter (see `readHead`), or all of it. */
function readFileHead(contentDir: string, file: string, whole: boolean, maxBytes: number): FileHead {
  const fd = openContentFile(contentDir, file)
  try {
    const { mtime, size } = fstatSync(fd)
    if (size > maxBytes) return { bytes: Buffer.alloc(0), complete: false, modified: mtime, size, tooLarge: true }
    const head = whole ? undefined : readHead(fd, size)
    // Positional reads leave the file offset at 0, so this reads the file from its start.
    // No front matter, or one that never closes, is parsed whole: the parser says why.
    if (head === undefined) return { bytes: readFileSync(fd), complete: true, modified: mtime, size }
    return { bytes: head, complete: head.length >= size, modified: mtime, size }
  } finally {
    closeSync(fd)
  }
}

const headChunkBytes = 4096
const dashes = Buffer.from('\n---')
const byteOrderMark = Buffer.from([0xef, 0xbb, 0xbf])

/**
 * The bytes of an open file up to the end of the line that closes its front matter
 * (`\n---`), or `undefined` when there is none. Written by hand because gray-matter and
 * Node read whole files only; the search runs on bytes, so a chunk boundary never splits
 * a character in two.
 */
function readHead(fd: number, size: number): Buffer | undefined {
  let buffer = Buffer.allocUnsafe(Math.min(headChunkBytes, size + 1))
  let length = 0
  let searchFrom = 3
  // Where `---` must be: after a UTF-8 byte-order mark, when the file starts with one.
  let start: number | undefined
  for (;;) {
    if (length === buffer.length) {
      const larger = Buffer.allocUnsafe(buffer.length * 2)
      buffer.copy(larger, 0, 0, length)
      buffer = larger
    }
    const read = readSync(fd, buffer, length, buffer.length - length, length)
    length += read
    if (start === undefined && length >= 3) start = buffer.subarray(0, 3).equals(byteOrderMark) ? 3 : 0
    if (start !== undefined && length >= start + 3 && buffer.toString('latin1', start, start + 3) !== '---') return undefined
    const close = buffer.indexOf(dashes, searchFrom)
    const lineEnd = close === -1 || close + dashes.length >= length ? -1 : buffer.indexOf(10, close + dashes.length)
    if (lineEnd !== -1 && lineEnd < length) return buffer.subarray(0, lineEnd + 1)
    // Search the next chunk from the closing line found, or from where `\n---` could start.
    searchFrom = close !== -1 && close < length ? close : Math.max(3, length - dashes.length)
    if (read === 0) return undefined
  }
}

/** Describe one media file, or `undefined` when it vanished meanwhile or is not a file (a link is not followed). */
export function loadMediaFile(contentDir: string, file: string): MediaFile | undefined {
  const absolutePath = path.join(contentDir, file)
  try {
    const info = lstatSync(absolutePath)
    return info.isFile() ? { path: file, absolutePath, mtime: info.mtime, size: info.size } : undefined
  } catch {
    return undefined
  }
}

/** What `loadContent` found. */
export interface LoadedContent {
  entries: ContentEntry[]
  media: Map<string, MediaFile>
  /** One entry per symbolic link, with its problem: a link is never published. */
  links: ContentEntry[]
  /**
   * Save the front-matter index for the next start, when there is one and it changed.
   * @param now the time of the save: files changed in the two seconds before are left out
   */
  saveIndex(now?: number): void
}

/**
 * Read every article and media file of a content folder.
 *
 * @param options.cacheDir a cache folder: front matter parsed at the last start is taken
 *   from its index for files whose size and modification time did not change
 */
export async function loadContent(contentDir: string, defaults: ArticleDefaults, options: { cacheDir?: string | undefined; maxFileBytes?: number | undefined } = {}): Promise<LoadedContent> {
  const files = await listContentFiles(contentDir)
  const index = options.cacheDir === undefined ? undefined : FrontMatterIndex.open(options.cacheDir, contentDir, defaults)
  const entries: ContentEntry[] = new Array(files.articles.length)
  const misses: Array<{ at: number; file: string; identity?: FileIdentity }> = []
  files.articles.forEach((file, at) => {
    if (!index) return void misses.push({ at, file })
    try {
      const absolutePath = path.join(contentDir, file)
      const identity = statSync(absolutePath)
      // Too large now (a lower limit, or indexed before one): loadArticle reports it.
      const article = identity.size > (options.maxFileBytes ?? Infinity) ? undefined : index.find(file, absolutePath, identity)
      if (article) entries[at] = { file, article, problems: [], read: { size: identity.size, mtimeMs: identity.mtime.getTime() } }
      else misses.push({ at, file, identity })
    } catch {
      // loadArticle reports an unreadable file.
      misses.push({ at, file })
    }
  })
  // Parsing stays on this thread: parsing in piscina workers was measured slower on two
  // cores (4.4 s against 2.8 s at 10,000 articles), the results' copy back included. A
  // worker sharing the files with this thread through an atomic counter parsed them in
  // 1.7 to 1.9 s instead of 2.1 to 2.4 s alone, but a server's empty-cache start was no
  // faster (2.9 to 3.5 s against 2.9 to 3.65 s over 4 interleaved runs) for 1 s more CPU:
  // the second core is already busy with garbage collection and compilation.
  if (misses.length > 0) await prepareParser()
  const parsed = misses.map((miss) => loadArticle(contentDir, miss.file, defaults, { maxBytes: options.maxFileBytes }))
  misses.forEach((miss, k) => {
    const entry = parsed[k]!
    entries[miss.at] = entry
    // Keyed by the size and time seen before reading: a file changed meanwhile is parsed again next time.
    if (index && entry.article && miss.identity) index.record(entry.article, miss.identity)
  })
  const media = new Map<string, MediaFile>()
  for (const name of files.media) {
    const file = loadMediaFile(contentDir, name)
    if (file) media.set(file.path, file)
  }
  const links = files.links.map((file) => ({ file, article: undefined, problems: [linkProblem(contentDir, file)] }))
  return { entries, media, links, saveIndex: (now?: number) => index?.save(now) }
}

function toPosix(relative: string): string {
  return relative.split(path.sep).join('/')
}
