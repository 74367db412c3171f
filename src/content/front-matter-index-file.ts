import { isAscii } from 'node:buffer'
import { readFileSync } from 'node:fs'
import { crc32 } from 'node:zlib'
import type { ArticleDetails, ArticleFields } from './indexed-article.js'
import type { Author, Tag } from './parse-article.js'

// The front-matter index's file format, read and written (see `FrontMatterIndex`).

/**
 * Bump when parsing or validating front matter changes what an `Article` holds, or when
 * the index's own layout changes: every index written before is then ignored, and the
 * files are parsed again.
 */
export const parserVersion = '10'

export interface IndexEntry {
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
export type ReadEntry = IndexEntry & { details: string }

/**
 * The index in its logical form, as the writer and the tests see it: each tag and author written once and
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
export interface HeadEntry extends Omit<SavedEntry, 'details'> {
  details: [at: number, length: number]
}

export interface Head {
  version: string
  tags: Tag[]
  authors: Author[]
  entries: HeadEntry[]
}

/**
 * JSON with every character past ASCII written as a `\u` escape. Such a file is read
 * as Latin-1, a plain copy, where decoding UTF-8 took 55 to 90 ms of a warm start at ten
 * thousand articles (against 13 to 16).
 */
export function escapeNonAscii(json: string): string {
  return json.replace(/[\u0080-\uffff]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/** The index file for the entries whose files last changed before `settled`. */
export function encodeIndex(entries: Map<string, IndexEntry>, settled: number): string {
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
export function joinIndex(version: string, tags: Tag[], authors: Author[], saved: Array<{ entry: Omit<HeadEntry, 'details'>; detailsText: string }>): string {
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

/** The head of an index file and where its details start and end, when the file is sound. */
export function readHead(text: string, bytes: Buffer = Buffer.from(text, 'latin1')): { head: Head; detailsStart: number; detailsEnd: number } | undefined {
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

export function readIndexFile(indexFile: string): Map<string, ReadEntry> {
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
