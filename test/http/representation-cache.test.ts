import { describe, expect, it } from 'vitest'
import { createRepresentation } from '../../src/http/representation.js'
import { createRepresentationCache } from '../../src/http/representation-cache.js'

/** A representation of `size` bytes of the given type. */
function bytes(size: number, mediaType = 'image/png') {
  return createRepresentation({ body: Buffer.alloc(size, 'a'), mediaType, lastModified: undefined, cacheControl: 'no-cache', links: [] })
}

describe('createRepresentationCache(maxBytes)', () => {
  it('keeps entries while they fit, then evicts the least recently used', () => {
    const cache = createRepresentationCache(300)
    cache.set('/a', bytes(100))
    cache.set('/b', bytes(100))
    cache.set('/c', bytes(100))
    expect(cache.get('/a')).toBeDefined() // /a is now the most recently used
    cache.set('/d', bytes(100))
    expect(['/a', '/b', '/c', '/d'].filter((key) => cache.get(key) !== undefined)).toEqual(['/a', '/c', '/d'])
    expect(cache.calculatedSize).toBe(300)
  })

  it.each([
    ['an image', 'image/png', 300],
    ['a feed, with room for the compressed variants it gets later', 'application/rss+xml; charset=utf-8', 450],
  ])('counts 300 bytes of %s as %i', (_name, mediaType, counted) => {
    const cache = createRepresentationCache(1000)
    cache.set('/x', bytes(300, mediaType))
    expect(cache.calculatedSize).toBe(counted)
  })

  it('does not store a body larger than the whole budget, and keeps the others', () => {
    const cache = createRepresentationCache(100)
    cache.set('/small', bytes(50))
    cache.set('/huge', bytes(101))
    expect(cache.get('/huge')).toBeUndefined()
    expect(cache.get('/small')).toBeDefined()
  })

  it('replaces an entry under the same key without counting it twice', () => {
    const cache = createRepresentationCache(1000)
    cache.set('/a', bytes(100))
    cache.set('/a', bytes(200))
    expect(cache.size).toBe(1)
    expect(cache.calculatedSize).toBe(200)
  })
})
