import { isAscii } from 'node:buffer'
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import path from 'node:path'
import { crc32 } from 'node:zlib'
import { writeFileAtomicallySync } from '../write-file-atomically.js'
import type { Article, ArticleDefaults, Author, Tag } from './parse-article.js'

/**
 * Bump when parsing or validating front matter changes what an `Article` holds, or when
 * the index's own layout changes: every index written before is then ignored, and the
 * files are parsed again.
 */
export const parserVersion = '10'

/** What only a document showing the article reads: kept as text in the index until then. */
export type ArticleDetails = Pick<Article, 'title' | 'summary' | 'image' | 'sources'>

// What the catalog reads of every article at start-up (dates, slugs, topics).
type ArticleFields = Pick<Article, 'slug' | 'id' | 'aliases' | 'date' | 'updated' | 'authors' | 'lang' | 'tags' | 'draft' | 'bodyLine'>

interface IndexEntry {
  size: number
  mtimeMs: number
  // A file restored from a backup (`cp -p`, `rsync -a`) keeps its size and mtime, not these.
  ctimeMs: number
  ino: number
  fields: ArticleFields
  /**
   * As read from the index: JSON in ASCII (see `escapeNonAscii`). As just parsed from the
   * file: the values, written out only when the index is saved, after start-up (doing it
   * for every article as it was parsed took 0.2 s of a start with an empty cache).
   */
  details: string | ArticleDetails
}

// An entry read from the index file: its details are still the saved text.
type ReadEntry = IndexEntry & { details: string }

/**
 * The index, as the tests and the writer see it: each tag and author written once and
 * articles referring to them by position, dates as milliseconds.
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
  article: Omit<ArticleFields, 'tags' | 'authors' | 'date' | 'updated'> & { tags: number[]; authors: number[]; date: number; updated?: number }
  details: ArticleDetails
}

// On disk, all of it ASCII: the head, one line of JSON whose entries give the place of
// their details in the line after it, where each entry's details are JSON of their own;
// then the CRC-32 of everything before it, so a damaged index is found at start-up, not
// when an article is shown.
interface HeadEntry extends Omit<SavedEntry, 'details'> {
  details: [at: number, length: number]
}

interface Head {
  version: string
  tags: Tag[]
  authors: Author[]
  entries: HeadEntry[]
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

/**
 * An article from the index: what the catalog needs is at hand, the rest is parsed from
 * the saved text when first read.
 */
class IndexedArticle implements Article {
  readonly body = undefined
  #details: ArticleDetails | undefined
  #detailsText: string | undefined

  constructor(
    readonly file: string,
    fields: ArticleFields,
    detailsText: string,
    identity: FileIdentity,
    readonly sourcePath: string,
  ) {
    this.slug = fields.slug
    this.id = fields.id
    this.aliases = fields.aliases
    this.date = fields.date
    this.updated = fields.updated
    this.authors = fields.authors
    this.lang = fields.lang
    this.tags = fields.tags
    this.draft = fields.draft
    this.bodyLine = fields.bodyLine
    this.fileModified = identity.mtime
    this.fileSize = identity.size
    this.#detailsText = detailsText
  }

  readonly slug: string
  readonly id: string | undefined
  readonly aliases: string[]
  readonly date: Date
  readonly updated: Date | undefined
  readonly authors: Author[]
  readonly lang: string
  readonly tags: Tag[]
  readonly draft: boolean
  readonly bodyLine: number
  readonly fileModified: Date
  readonly fileSize: number

  get title(): string {
    return this.#read().title
  }

  get summary(): string | undefined {
    return this.#read().summary
  }

  get image(): Article['image'] {
    return this.#read().image
  }

  get sources(): Article['sources'] {
    return this.#read().sources
  }

  #read(): ArticleDetails {
    if (this.#details === undefined) {
      // Checked whole when the index was read (its CRC), so this parse does not fail.
      this.#details = JSON.parse(this.#detailsText!) as ArticleDetails
      this.#detailsText = undefined
    }
    return this.#details
  }
}

/**
 * A plain copy of an article, every field read: what a structured clone (to a worker
 * thread) keeps whole. An article from the index reads some fields on demand, and a
 * clone copies only own data properties.
 */
export function toPlainArticle(article: Article): Article {
  const { file, slug, id, aliases, title, date, updated, authors, summary, lang, tags, image, sources, draft, body, bodyLine, fileModified, fileSize, sourcePath } = article
  // Every key required: a field added to Article and not copied here does not compile.
  const plain: { [Key in keyof Required<Article>]: Article[Key] } = { file, slug, id, aliases, title, date, updated, authors, summary, lang, tags, image, sources, draft, body, bodyLine, fileModified, fileSize, sourcePath }
  return plain
}

/**
 * JSON with every character past ASCII written as a `\u` escape. Such a file is read
 * as Latin-1, a plain copy, where decoding UTF-8 took 55 to 90 ms of a warm start at ten
 * thousand articles (against 13 to 16).
 */
function escapeNonAscii(json: string): string {
  return json.replace(/[\u0080-\uffff]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/** The index file for the entries whose files last changed before `settled`. */
function encodeIndex(entries: Map<string, IndexEntry>, settled: number): string {
  const tags: Tag[] = []
  const authors: Author[] = []
  const saved: Array<{ entry: Omit<HeadEntry, 'details'>; detailsText: string }> = []
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
  for (const [file, { size, mtimeMs, ctimeMs, ino, fields, details }] of entries) {
    if (Math.max(mtimeMs, ctimeMs) >= settled) continue
    const { tags: articleTags, authors: articleAuthors, date, updated, ...rest } = fields
    const article = {
      ...rest,
      tags: articleTags.map((tag) => positionOf(tags, 'tag', tag)),
      authors: articleAuthors.map((author) => positionOf(authors, 'author', author)),
      date: date.getTime(),
      ...(updated ? { updated: updated.getTime() } : {}),
    }
    saved.push({ entry: { file, size, mtimeMs, ctimeMs, ino, article }, detailsText: typeof details === 'string' ? details : escapeNonAscii(JSON.stringify(details)) })
  }
  return joinIndex(parserVersion, tags, authors, saved)
}

/** The head line, then every entry's details one after the other. */
function joinIndex(version: string, tags: Tag[], authors: Author[], saved: Array<{ entry: Omit<HeadEntry, 'details'>; detailsText: string }>): string {
  const entries: HeadEntry[] = []
  let at = 0
  for (const { entry, detailsText } of saved) {
    entries.push({ ...entry, details: [at, detailsText.length] })
    at += detailsText.length
  }
  const details = saved.map((item) => item.detailsText).join('')
  const head: Head = { version, tags, authors, entries }
  const sealed = `${escapeNonAscii(JSON.stringify(head))}\n${details}`
  return `${sealed}\n${crc32(sealed)}`
}

/**
 * The index in the logical form of `SavedIndex`, every article's details parsed: how
 * tests look into an index file. `undefined` when it is not one this code wrote.
 */
export function decodeIndex(text: string): SavedIndex | undefined {
  const read = readHead(text)
  if (!read) return undefined
  const { head, detailsStart } = read
  return {
    version: head.version,
    tags: head.tags,
    authors: head.authors,
    entries: head.entries.map(({ details: [at, length], ...entry }) => ({ ...entry, details: JSON.parse(text.slice(detailsStart + at, detailsStart + at + length)) as ArticleDetails })),
  }
}

/** An index file holding exactly `saved`: how tests write one, sound or damaged. */
export function encodeSavedIndex(saved: SavedIndex): string {
  return joinIndex(
    saved.version,
    saved.tags,
    saved.authors,
    saved.entries.map(({ details, ...entry }) => ({ entry, detailsText: escapeNonAscii(JSON.stringify(details)) })),
  )
}

/** The head of an index file and where its details start and end, when the file is sound. */
function readHead(text: string, bytes: Buffer = Buffer.from(text, 'latin1')): { head: Head; detailsStart: number; detailsEnd: number } | undefined {
  const newline = text.indexOf('\n')
  const detailsEnd = text.lastIndexOf('\n')
  if (newline === -1 || detailsEnd === newline) return undefined
  // Over the bytes (ASCII: one per character): over the string, zlib would copy it first.
  const crc = text.slice(detailsEnd + 1)
  if (!/^[0-9]+$/.test(crc) || Number(crc) !== crc32(bytes.subarray(0, detailsEnd))) return undefined
  const head = JSON.parse(text.slice(0, newline)) as Partial<Head> | null
  if (head?.version !== parserVersion || !Array.isArray(head.entries) || !Array.isArray(head.tags) || !Array.isArray(head.authors)) return undefined
  return { head: head as Head, detailsStart: newline + 1, detailsEnd }
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

function readIndexFile(indexFile: string): Map<string, ReadEntry> {
  const entries = new Map<string, ReadEntry>()
  try {
    const bytes = readFileSync(indexFile)
    // This code writes ASCII only; the places of the details count ASCII characters.
    if (!isAscii(bytes)) return entries
    const text = bytes.toString('latin1')
    const read = readHead(text, bytes)
    if (!read) return entries
    const { head, detailsStart, detailsEnd } = read
    const { tags, authors } = head
    for (const { file, size, mtimeMs, ctimeMs, ino, article: saved, details } of head.entries) {
      // A cheap check that the entry is one this code wrote; the rest is covered by the CRC.
      if (typeof file !== 'string' || typeof saved?.slug !== 'string' || !Number.isFinite(saved.date) || !Array.isArray(saved.aliases) || !Array.isArray(details)) continue
      const [at, length] = details
      const start = detailsStart + at
      if (!(length > 1 && start + length <= detailsEnd && text.charCodeAt(start) === 0x7b && text.charCodeAt(start + length - 1) === 0x7d)) continue
      const articleTags = resolvePositions(tags, saved.tags)
      const articleAuthors = resolvePositions(authors, saved.authors)
      if (!articleTags || !articleAuthors) continue
      const fields: ArticleFields = {
        slug: saved.slug,
        id: saved.id,
        aliases: saved.aliases,
        date: new Date(saved.date),
        updated: saved.updated === undefined ? undefined : new Date(saved.updated),
        authors: articleAuthors,
        lang: saved.lang,
        tags: articleTags,
        draft: saved.draft,
        bodyLine: saved.bodyLine,
      }
      entries.set(file, { size, mtimeMs, ctimeMs, ino, fields, details: text.slice(start, start + length) })
    }
    return entries
  } catch {
    return new Map()
  }
}
