import { createHash } from 'node:crypto'
import { readdirSync, rmSync, statSync } from 'node:fs'
import path from 'node:path'
import { writeFileAtomicallySync } from '../write-file-atomically.js'
import { encodeIndex, parserVersion, readIndexFile, type IndexEntry, type ReadEntry } from './front-matter-index-file.js'
import { IndexedArticle, type FileIdentity } from './indexed-article.js'
import type { Article, ArticleDefaults } from './parse-article.js'

// A file changed twice within the file system's timestamp granularity keeps its size and
// mtime; an entry written that soon after its file changed is not trusted (git does the same).
const racyMs = 2_000

/**
 * The validated front matter of every article, saved in the cache folder and found by
 * each file's path, size, modification and change times and inode, so that a restart parses only the files
 * that changed. YAML parsing and validation cost about a quarter of a millisecond per
 * article: most of the start-up time at ten thousand articles.
 *
 * Reading the index is then a large part of a warm start, so the details of each article
 * (title, summary, picture, sources) stay text until a document shows it: at ten
 * thousand articles, reading and parsing took 46 to 85 ms instead of 85 to 160 with every
 * article parsed whole.
 *
 * A truncated or unreadable index, or an entry that does not look like one this code
 * wrote, is ignored (and rewritten), never trusted.
 */
export class FrontMatterIndex {
  readonly #file: string
  readonly #old: Map<string, ReadEntry>
  readonly #next = new Map<string, IndexEntry>()
  #changed = false

  private constructor(file: string, old: Map<string, ReadEntry>) {
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
    this.#next.set(file, entry)
    return new IndexedArticle(file, entry.fields, entry.details, identity, sourcePath)
  }

  /** Remember an article parsed from this version of its file. */
  record(article: Article, identity: FileIdentity): void {
    const { file, slug, id, aliases, date, updated, authors, lang, tags, draft, bodyLine, title, summary, image, sources } = article
    const { size, mtime, ctimeMs, ino } = identity
    this.#next.set(file, { size, mtimeMs: mtime.getTime(), ctimeMs, ino, fields: { slug, id, aliases, date, updated, authors, lang, tags, draft, bodyLine }, details: { title, summary, image, sources } })
    this.#changed = true
  }

  /**
   * Write the index if it differs from the one read: files parsed again, or gone. A write
   * that fails only costs parsing again at the next start.
   */
  save(now = Date.now()): void {
    if (!this.#changed && this.#next.size === this.#old.size) return
    // The index is an optimisation: if the write fails, the next start parses again.
    if (writeFileAtomicallySync(this.#file, encodeIndex(this.#next, now - racyMs))) removeOldIndexes(path.dirname(this.#file))
  }
}

// Indexes of other content folders, settings or parser versions kept beside the current one.
const keptIndexes = 4
const indexName = /^front-matter-[0-9a-f]{16}\.json$/

/**
 * Keep the `keptIndexes` indexes written last in a cache folder, and remove the others:
 * each parser version or change of site settings starts a new one, and a cache folder
 * shared by a few sites keeps each site's.
 */
function removeOldIndexes(cacheDir: string): void {
  try {
    const indexes = readdirSync(cacheDir)
      .filter((name) => indexName.test(name))
      .map((name) => ({ file: path.join(cacheDir, name), mtimeMs: statSync(path.join(cacheDir, name), { throwIfNoEntry: false })?.mtimeMs ?? 0 }))
      .sort((a, b) => b.mtimeMs - a.mtimeMs)
    for (const { file } of indexes.slice(keptIndexes)) rmSync(file, { force: true })
  } catch {
    // Another process pruned meanwhile, or a read-only folder: left for the next save.
  }
}

