import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { crc32 } from 'node:zlib'
import { markUsed, removeUnusedFiles } from '../cache-folder.js'
import { writeFileAtomicallySync } from '../write-file-atomically.js'

/** A feed item serialized as XML, with the namespace prefixes it uses. */
export interface StoredFragment {
  bytes: Buffer
  namespaces: string[]
}

/**
 * Bump when the text cut out of feedsmith's output for the same item can change in a way
 * the serializer's fingerprint (see `assembleXmlFeed`) would not show: a change to the cut
 * itself in item-fragments, or to the bare documents of rss.ts and atom.ts or to
 * `tightenCdata` for a kind of item their samples do not have. A change of the item
 * needs no bump: the key is the item.
 */
export const fragmentVersion = '1'

// Strings at least this long are hashed apart from the JSON, each replaced there by the mark.
const longString = 512
const longStringMark = '\0'

const feedsmithVersion = (createRequire(import.meta.url)('feedsmith/package.json') as { version: string }).version

/**
 * Serialized feed items on disk, kept between static exports. An export writes each
 * article into about five documents per format on each thread, and serializing its item
 * with feedsmith was two fifths of a warm export's time; reading it back is a small file.
 *
 * The key is a hash of exactly what feedsmith serializes (the item, as JSON), the format
 * and its context (which the caller makes include a fingerprint of the serializer),
 * feedsmith's version and `fragmentVersion`, so an edited article, a changed setting or an
 * upgrade finds nothing stale. A file that is unreadable, corrupt or written for another
 * key is ignored and written again, never served.
 */
export class FragmentStore {
  readonly #dir: string
  readonly #version: string

  /**
   * @param dir folder of the stored items
   * @param version part of every key (tests change it)
   */
  constructor(dir: string, version = `${fragmentVersion}/${feedsmithVersion}`) {
    this.#dir = dir
    this.#version = version
  }

  /**
   * Key of the text of `item` serialized as `format` (`item`, `entry`) within `context`.
   * `item` is plain data and Dates, as feedsmith takes it: JSON holds all of it.
   */
  keyOf(format: string, context: string, item: object): string {
    const hash = createHash('sha256').update(`${this.#version}\0${format}\0${context}\0`)
    // Long strings (an article's HTML) go into the hash as they are, after their length,
    // rather than escaped into the JSON text: escaping them was half of a key's cost. The
    // JSON of an object starts with `{`, never a digit, so the input still reads one way.
    const json = JSON.stringify(item, (_name, value: unknown) => {
      if (typeof value !== 'string' || value.length < longString) return value
      hash.update(`${value.length}\0`).update(value)
      return longStringMark
    })
    return hash.update(json).digest('hex')
  }

  /** The stored text for `key`, or `undefined`. */
  get(key: string): StoredFragment | undefined {
    let file: Buffer
    try {
      file = readFileSync(this.#fileOf(key))
    } catch {
      return undefined
    }
    // A header line (JSON: key, namespaces, length, and a CRC-32 of namespaces and text), then the text.
    const lineEnd = file.indexOf(10)
    try {
      const header = JSON.parse(file.toString('utf8', 0, lineEnd)) as { key?: unknown; namespaces?: unknown; length?: unknown; crc?: unknown }
      const bytes = file.subarray(lineEnd + 1)
      if (header.key !== key || header.length !== bytes.length || !isStringArray(header.namespaces) || header.crc !== checksumOf(header.namespaces, bytes)) return undefined
      markUsed(this.#fileOf(key))
      return { bytes, namespaces: header.namespaces }
    } catch {
      return undefined
    }
  }

  /** Store a text; a write that fails only costs serializing it again next time. */
  set(key: string, fragment: StoredFragment): void {
    const header = Buffer.from(`${JSON.stringify({ key, namespaces: fragment.namespaces, length: fragment.bytes.length, crc: checksumOf(fragment.namespaces, fragment.bytes) })}\n`)
    // Another export thread may be reading it, or storing the same item.
    writeFileAtomicallySync(this.#fileOf(key), Buffer.concat([header, fragment.bytes]))
  }

  /** Remove the stored items not read or written since `since`: after an export, those of no current document. */
  removeUnused(since: number): Promise<number> {
    return removeUnusedFiles([this.#dir], since)
  }

  #fileOf(key: string): string {
    return path.join(this.#dir, key.slice(0, 2), key)
  }
}

/** The folder of stored items within a cache folder. */
export function fragmentDir(cacheDir: string): string {
  return path.join(cacheDir, 'items')
}

/**
 * The store of an export: in the configured cache folder, none without one (a temporary
 * cache is removed with the export, and its stored items with it).
 */
export function openFragmentStore(cacheDir: string | undefined): FragmentStore | undefined {
  return cacheDir === undefined ? undefined : new FragmentStore(fragmentDir(cacheDir))
}

/** CRC-32 of the namespaces and the text: a text with another set of declarations would not be well-formed. */
function checksumOf(namespaces: string[], bytes: Buffer): number {
  return crc32(bytes, crc32(JSON.stringify(namespaces)))
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string')
}
