import { describe, expect, it } from 'vitest'
import { headersOf } from '../../src/cli/static-files.js'
import { toLastModified } from '../../src/dates.js'

const now = new Date('2026-11-26T12:00:00.700Z')

describe('toLastModified', () => {
  it.each([
    [new Date('2026-11-20T09:00:00.900Z'), 'Fri, 20 Nov 2026 09:00:00 GMT'],
    [new Date('2026-11-26T12:00:00.100Z'), 'Thu, 26 Nov 2026 12:00:00 GMT'],
    [new Date('2099-01-01T00:00:00Z'), 'Thu, 26 Nov 2026 12:00:00 GMT'],
  ])('toLastModified(%o, now) is %s', (date, expected) => {
    expect(toLastModified(date, now)).toBe(expected)
  })
})

describe('headersOf', () => {
  it.each([
    [new Date('2099-01-01T00:00:00Z'), 'Thu, 26 Nov 2026 12:00:00 GMT'],
    [new Date('2026-11-20T09:00:00Z'), 'Fri, 20 Nov 2026 09:00:00 GMT'],
  ])('headersOf({ lastModified: %o }, …, now) gives a static host Last-Modified: %s', (lastModified, expected) => {
    const headers = headersOf({ mediaType: 'application/rss+xml; charset=utf-8', lastModified, links: [], cors: false }, 'public, max-age=300', now)
    expect(headers['Last-Modified']).toBe(expected)
  })
})
