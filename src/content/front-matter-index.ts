import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { deserialize, serialize } from 'node:v8'
import type { Article, ArticleDefaults } from './parse-article.js'

/**
 * Bump when parsing or validating front matter changes what an `Article` holds, or when
 * the index's own layout changes: every index written before is then ignored, and the
 * files are parsed again.
 */
export const parserVersion = '3'

// What is saved of an article: its own file identity and everything but the body.
type IndexedArticle = Omit<Article, 'body' | 'sourcePath' | 'fileModified' | 'fileSize' | 'date' | 'updated'> & { date: string; updated?: string | undefined }

export interface IndexEntry {
  size: number
  mtimeMs: number
  // A file restored from a backup (`cp -p`, `rsync -a`) keeps its size and mtime, not these.
  ctimeMs: number
  ino: number
  article: IndexedArticle
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
    const file = path.join(cacheDir, `front-matter-${key}.v8`)
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
    // A cheap check that the entry is one this code wrote; the rest is trusted like the render cache.
    if (typeof saved !== 'object' || saved === null || saved.file !== file || typeof saved.title !== 'string' || !Array.isArray(saved.tags)) return undefined
    const date = new Date(saved.date)
    if (Number.isNaN(date.getTime())) return undefined
    this.#next.set(file, entry)
    // Spelled out rather than spread: ten thousand of these at start-up.
    return {
      file,
      slug: saved.slug,
      title: saved.title,
      date,
      updated: saved.updated === undefined ? undefined : new Date(saved.updated),
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
    const { body: _body, sourcePath: _sourcePath, fileModified: _fileModified, fileSize: _fileSize, date, updated, ...rest } = article
    const { size, mtime, ctimeMs, ino } = identity
    this.#next.set(article.file, { size, mtimeMs: mtime.getTime(), ctimeMs, ino, article: { ...rest, date: date.toISOString(), ...(updated ? { updated: updated.toISOString() } : {}) } })
    this.#changed = true
  }

  /**
   * Write the index if it differs from the one read: files parsed again, or gone. A write
   * that fails only costs parsing again at the next start.
   */
  save(now = Date.now()): void {
    if (!this.#changed && this.#next.size === this.#old.size) return
    const files: Record<string, IndexEntry> = {}
    for (const [file, entry] of this.#next) if (Math.max(entry.mtimeMs, entry.ctimeMs) < now - racyMs) files[file] = entry
    const temporary = `${this.#file}.${process.pid}.tmp`
    try {
      mkdirSync(path.dirname(this.#file), { recursive: true })
      writeFileSync(temporary, serialize({ version: parserVersion, files } satisfies SavedIndex))
      renameSync(temporary, this.#file)
    } catch {
      // The index is an optimisation.
    }
  }
}

/** The index file's contents, in V8's serialization format. */
export interface SavedIndex {
  version: string
  files: Record<string, IndexEntry>
}

// V8's format rather than JSON: at ten thousand articles, reading it takes about a
// third of the time of decoding and parsing the same index as UTF-8 JSON, and the
// warm start is mostly that.
function readIndexFile(file: string): Map<string, IndexEntry> {
  try {
    // A write is atomic (rename), so a damaged file is one cut short by a crash or a full
    // disk: deserialize rejects it. Hashing ten megabytes on every start would cost more.
    const saved: unknown = deserialize(readFileSync(file))
    if (typeof saved !== 'object' || saved === null || (saved as { version?: unknown }).version !== parserVersion) return new Map()
    const files = (saved as { files?: unknown }).files
    if (typeof files !== 'object' || files === null) return new Map()
    return new Map(Object.entries(files as Record<string, IndexEntry>))
  } catch {
    return new Map()
  }
}
