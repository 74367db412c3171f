import { LRUCache } from 'lru-cache'
import type { Representation } from './representation.js'

/**
 * The representations of one catalog version, bounded by size and evicting the least
 * recently used. Without a bound, a crawler walking every archive of a large site
 * (17,700 documents and several gigabytes at 10,000 articles) would keep all of them.
 * A body larger than the whole budget is not kept.
 *
 * @param maxBytes the budget for bodies, compressed variants included
 */
export function createRepresentationCache(maxBytes: number): LRUCache<string, Representation> {
  return new LRUCache<string, Representation>({ maxSize: maxBytes, sizeCalculation: estimateBytes })
}

/** Bytes a representation will hold once its compressed variants are made. */
function estimateBytes(representation: Representation): number {
  const identity = representation.body('identity').length
  // Compressed variants are made on first use; a text body and its brotli and gzip
  // variants together take about one and a half times the body.
  return Math.max(1, representation.worthCompressing ? Math.ceil(identity * 1.5) : identity)
}
