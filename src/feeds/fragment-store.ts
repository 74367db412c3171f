import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'

/** A feed item serialized as XML, with the namespace prefixes it uses. */
export interface StoredFragment {
  bytes: Buffer
  namespaces: string[]
}

/**
 * Bump when the text cut out of feedsmith's output for the same item changes (the bare
 * documents of rss.ts and atom.ts, `tightenCdata`, the cut in item-fragments): a stored
 * text made by an older version is then never found. A change of the item itself needs
 * no bump, since the key is the item.
 */
export const fragmentVersion = '1'

const feedsmithVersion = (createRequire(import.meta.url)('feedsmith/package.json') as { version: string }).version

/**
 * Serialized feed items on disk, kept between static exports. An export writes each
 * article into about five documents per format on each thread, and serializing its item
 * with feedsmith was two fifths of a warm export's time; reading it back is a small file.
 *
 * The key is a hash of exactly what feedsmith serializes (the item, as JSON), the format
 * and its context, feedsmith's version and `fragmentVersion`, so an edited article, a
 * changed setting or an upgrade finds nothing stale. A file that is unreadable, corrupt or
 * written for another key is ignored and written again, never served.
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

  /** Key of the text of `item` serialized in `format` (`item`, `entry`) within `context`. */
  keyOf(format: string, context: string, item: unknown): string {
    return createHash('sha256').update(`${this.#version}\0${format}\0${context}\0`).update(JSON.stringify(item)).digest('hex')
  }

  /** The stored text for `key`, or `undefined`. */
  get(key: string): StoredFragment | undefined {
    let file: Buffer
    try {
      file = readFileSync(this.#fileOf(key))
    } catch {
      return undefined
    }
    // A header line (JSON: key, namespaces, length), then the text's bytes.
    const lineEnd = file.indexOf(10)
    if (lineEnd === -1) return undefined
    try {
      const header = JSON.parse(file.toString('utf8', 0, lineEnd)) as { key?: unknown; namespaces?: unknown; length?: unknown }
      const bytes = file.subarray(lineEnd + 1)
      if (header.key !== key || header.length !== bytes.length || !isStringArray(header.namespaces)) return undefined
      return { bytes, namespaces: header.namespaces }
    } catch {
      return undefined
    }
  }

  /** Store a text; a write that fails only costs serializing it again next time. */
  set(key: string, fragment: StoredFragment): void {
    const file = this.#fileOf(key)
    const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`
    try {
      mkdirSync(path.dirname(file), { recursive: true })
      const header = Buffer.from(`${JSON.stringify({ key, namespaces: fragment.namespaces, length: fragment.bytes.length })}\n`)
      writeFileSync(temporary, Buffer.concat([header, fragment.bytes]))
      // Rename is atomic, so a reader (another export thread) never sees half a file.
      renameSync(temporary, file)
    } catch {
      rmSync(temporary, { force: true })
    }
  }

  #fileOf(key: string): string {
    return path.join(this.#dir, key.slice(0, 2), key)
  }
}

/** The folder of stored items within a cache folder. */
export function fragmentDir(cacheDir: string): string {
  return path.join(cacheDir, 'items')
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string')
}
