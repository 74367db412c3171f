import { isAscii } from 'node:buffer'
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Article, ArticleDefaults, Author, Tag } from './parse-article.js'

/**
 * Bump when parsing or validating front matter changes what an `Article` holds, or when
 * the index's own layout changes: every index written before is then ignored, and the
 * files are parsed again.
 */
export const parserVersion = '5'

// What is kept of an article: everything but the body and what its file says of itself.
type IndexedArticle = Omit<Article, 'file' | 'body' | 'sourcePath' | 'fileModified' | 'fileSize'>

interface IndexEntry {
  size: number
  mtimeMs: number
  // A file restored from a backup (`cp -p`, `rsync -a`) keeps its size and mtime, not these.
  ctimeMs: number
  ino: number
  article: IndexedArticle
}

/**
 * The index file: JSON, with each tag and author written once and articles referring to
 * them by position, and dates as milliseconds. At ten thousand articles that made it 8.7 MB
 * instead of 10.9 with the articles written out whole (escaping non-ASCII characters adds
 * 0.6 MB), and reading it is a large part of a warm start.
 */
export interface SavedIndex {
  version: string
  tags: Tag[]
  authors: Author[]
  entries: SavedEntry[]
}

/** One file of the index: its identity and its article. */
export interface SavedEntry {
  file: string
  size: number
  mtimeMs: number
  ctimeMs: number
  ino: number
  article: Omit<IndexedArticle, 'tags' | 'authors' | 'date' | 'updated'> & { tags: number[]; authors: number[]; date: number; updated?: number }
}

/** What identifies a version of a file: `fs.Stats` has all of it. */
export interface FileIdentity {
  size: number
  mtime: Date
  ctimeMs: number
  ino: number
}

// A file changed twice within the file system's timestamp granularity keeps its size and
// mtime; an entry written that soon after its file changed is not trusted (git does the same).
const racyMs = 2_000

/**
 * The validated front matter of every article, saved in the cache folder and found by
 * each file's path, size, modification and change times and inode, so that a restart parses only the files
 * that changed. YAML parsing and validation cost about a quarter of a millisecond per
 * article: most of the start-up time at ten thousand articles.
 *
 * A truncated or unreadable index, or an entry that does not look like one this code
 * wrote, is ignored (and rewritten), never trusted.
 */
export class FrontMatterIndex {
  readonly #file: string
  readonly #old: Map<string, IndexEntry>
  readonly #next = new Map<string, IndexEntry>()
  #changed = false

  private constructor(file: string, old: Map<string, IndexEntry>) {
    this.#file = file
    this.#old = old
  }

  /**
   * Open the index of a content folder (an empty one when none is saved, or it is unusable).
   *
   * @param cacheDir the cache folder
   * @param contentDir the content folder, whose absolute path is part of the index's name
   * @param defaults site settings an article inherits, part of what the index depends on
   */
  static open(cacheDir: string, contentDir: string, defaults: ArticleDefaults): FrontMatterIndex {
    const key = createHash('sha256').update(JSON.stringify([parserVersion, path.resolve(contentDir), defaults])).digest('hex').slice(0, 16)
    const file = path.join(cacheDir, `front-matter-${key}.json`)
    return new FrontMatterIndex(file, readIndexFile(file))
  }

  /**
   * The article saved for this version of a file, or `undefined`.
   *
   * @param sourcePath absolute path of the file, given to the article for reading its body
   */
  find(file: string, sourcePath: string, identity: FileIdentity): Article | undefined {
    const entry = this.#old.get(file)
    if (!entry || entry.size !== identity.size || entry.mtimeMs !== identity.mtime.getTime() || entry.ctimeMs !== identity.ctimeMs || entry.ino !== identity.ino) return undefined
    const saved = entry.article
    this.#next.set(file, entry)
    // Spelled out rather than spread: ten thousand of these at start-up.
    return {
      file,
      slug: saved.slug,
      title: saved.title,
      date: saved.date,
      updated: saved.updated,
      authors: saved.authors,
      summary: saved.summary,
      lang: saved.lang,
      tags: saved.tags,
      image: saved.image,
      sources: saved.sources,
      draft: saved.draft,
      body: undefined,
      bodyLine: saved.bodyLine,
      fileModified: identity.mtime,
      fileSize: identity.size,
      sourcePath,
    }
  }

  /** Remember an article parsed from this version of its file. */
  record(article: Article, identity: FileIdentity): void {
    const { file, body: _body, sourcePath: _sourcePath, fileModified: _fileModified, fileSize: _fileSize, ...rest } = article
    const { size, mtime, ctimeMs, ino } = identity
    this.#next.set(file, { size, mtimeMs: mtime.getTime(), ctimeMs, ino, article: rest })
    this.#changed = true
  }

  /**
   * Write the index if it differs from the one read: files parsed again, or gone. A write
   * that fails only costs parsing again at the next start.
   */
  save(now = Date.now()): void {
    if (!this.#changed && this.#next.size === this.#old.size) return
    const temporary = `${this.#file}.${process.pid}.tmp`
    try {
      mkdirSync(path.dirname(this.#file), { recursive: true })
      writeFileSync(temporary, escapeNonAscii(JSON.stringify(toSavedIndex(this.#next, now - racyMs))))
      renameSync(temporary, this.#file)
    } catch {
      // The index is an optimisation.
    }
  }
}

/**
 * JSON with every character past ASCII written as a `\u` escape. Such a file is read
 * as Latin-1, a plain copy, where decoding UTF-8 took 55 to 90 ms of a warm start at ten
 * thousand articles (against 13 to 16).
 */
function escapeNonAscii(json: string): string {
  return json.replace(/[\u0080-\uffff]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/** The index to save: entries whose files last changed before `settled`. */
function toSavedIndex(entries: Map<string, IndexEntry>, settled: number): SavedIndex {
  const saved: SavedIndex = { version: parserVersion, tags: [], authors: [], entries: [] }
  const positions = new Map<string, number>()
  // By value, not identity: articles parsed from their files each have their own objects.
  const positionOf = <T>(list: T[], kind: string, value: T): number => {
    const key = `${kind}\0${JSON.stringify(value)}`
    let position = positions.get(key)
    if (position === undefined) {
      position = list.push(value) - 1
      positions.set(key, position)
    }
    return position
  }
  for (const [file, { size, mtimeMs, ctimeMs, ino, article }] of entries) {
    if (Math.max(mtimeMs, ctimeMs) >= settled) continue
    const { tags, authors, date, updated, ...rest } = article
    saved.entries.push({
      file,
      size,
      mtimeMs,
      ctimeMs,
      ino,
      article: {
        ...rest,
        tags: tags.map((tag) => positionOf(saved.tags, 'tag', tag)),
        authors: authors.map((author) => positionOf(saved.authors, 'author', author)),
        date: date.getTime(),
        ...(updated ? { updated: updated.getTime() } : {}),
      },
    })
  }
  return saved
}

/** The items of `list` at `positions`, or `undefined` when one is missing. */
function resolvePositions<T>(list: T[], positions: number[]): T[] | undefined {
  const items: T[] = []
  for (const position of positions) {
    const item = list[position]
    if (item === undefined) return undefined
    items.push(item)
  }
  return items
}

function readIndexFile(indexFile: string): Map<string, IndexEntry> {
  const entries = new Map<string, IndexEntry>()
  try {
    // A write is atomic (rename), so a damaged file is one cut short by a crash or a full
    // disk: JSON.parse rejects it. Hashing ten megabytes on every start would cost more.
    const bytes = readFileSync(indexFile)
    const index = JSON.parse(isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8')) as Partial<SavedIndex> | null
    if (index?.version !== parserVersion || !Array.isArray(index.entries) || !Array.isArray(index.tags) || !Array.isArray(index.authors)) return entries
    const { tags, authors } = index
    for (const { file, size, mtimeMs, ctimeMs, ino, article: saved } of index.entries) {
      // A cheap check that the entry is one this code wrote; the rest is trusted like the render cache.
      if (typeof file !== 'string' || typeof saved?.title !== 'string' || !Number.isFinite(saved.date)) continue
      const articleTags = resolvePositions(tags, saved.tags)
      const articleAuthors = resolvePositions(authors, saved.authors)
      if (!articleTags || !articleAuthors) continue
      // Spelled out rather than spread: ten thousand of these at start-up.
      const article: IndexedArticle = {
        slug: saved.slug,
        title: saved.title,
        date: new Date(saved.date),
        updated: saved.updated === undefined ? undefined : new Date(saved.updated),
        authors: articleAuthors,
        summary: saved.summary,
        lang: saved.lang,
        tags: articleTags,
        image: saved.image,
        sources: saved.sources,
        draft: saved.draft,
        bodyLine: saved.bodyLine,
      }
      entries.set(file, { size, mtimeMs, ctimeMs, ino, article })
    }
    return entries
  } catch {
    return new Map()
  }
}
