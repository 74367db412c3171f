import type { Representation } from './representation.js'

/**
 * The representations of one catalog version, bounded by size and evicting the least
 * recently used. Without a bound, a crawler walking every archive of a large site
 * (17,700 documents and several gigabytes at 10,000 articles) would keep all of them.
 */
export class RepresentationCache {
  readonly #maxBytes: number
  // A Map iterates in insertion order: re-inserting on every hit keeps the oldest first.
  readonly #entries = new Map<string, { representation: Representation; bytes: number }>()
  #bytes = 0

  /** @param maxBytes the budget for bodies, compressed variants included */
  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes
  }

  /** Bytes held, as estimated when each entry was stored. */
  get bytes(): number {
    return this.#bytes
  }

  get size(): number {
    return this.#entries.size
  }

  /** The representation stored under `key`, now the most recently used. */
  get(key: string): Representation | undefined {
    const entry = this.#entries.get(key)
    if (!entry) return undefined
    this.#entries.delete(key)
    this.#entries.set(key, entry)
    return entry.representation
  }

  /** Store a representation, evicting the least recently used ones beyond the budget. */
  set(key: string, representation: Representation): void {
    this.delete(key)
    const identity = representation.body('identity').length
    // Compressed variants are made on first use; a text body and its brotli and gzip
    // variants together take about one and a half times the body.
    const bytes = representation.worthCompressing ? Math.ceil(identity * 1.5) : identity
    if (bytes > this.#maxBytes) return
    this.#entries.set(key, { representation, bytes })
    this.#bytes += bytes
    for (const [oldest, entry] of this.#entries) {
      if (this.#bytes <= this.#maxBytes) break
      this.#entries.delete(oldest)
      this.#bytes -= entry.bytes
    }
  }

  delete(key: string): void {
    const entry = this.#entries.get(key)
    if (!entry) return
    this.#entries.delete(key)
    this.#bytes -= entry.bytes
  }

  /** Forget everything (the content changed). */
  clear(): void {
    this.#entries.clear()
    this.#bytes = 0
  }
}
