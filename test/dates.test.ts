import { describe, expect, it } from 'vitest'
import * as dates from '../src/dates.js'
import { formatDate, isTimeZone } from '../src/dates.js'

// Every date rule lives here; a helper that moves away or a new one shows up by name.
describe('src/dates public API', () => {
  it('exports exactly the date helpers', () => {
    expect(Object.keys(dates).sort()).toEqual(['formatDate', 'isTimeZone', 'lastChanged', 'lastModifiedOf', 'newestChange', 'notAfter', 'toHttpDate', 'toLastModified'])
  })
})

describe('formatDate', () => {
  it.each([
    ['2026-11-26T08:00:00Z', 'fr', '26 novembre 2026 à 08:00 UTC'],
    ['2026-11-26T08:00:00Z', 'en-GB', '26 November 2026 at 08:00 UTC'],
    ['2026-11-26T08:00:00Z', 'en', 'November 26, 2026 at 8:00 AM UTC'],
    ['2026-11-26T08:00:00Z', 'de', '26. November 2026 um 08:00 UTC'],
    // Late in the UTC day: still the 26th, whatever the server's zone.
    ['2026-11-26T23:30:00Z', 'fr', '26 novembre 2026 à 23:30 UTC'],
    ['2026-11-26T00:30:00+01:00', 'fr', '25 novembre 2026 à 23:30 UTC'],
  ])('formatDate(%s, %j) is %j', (instant, lang, shown) => {
    // ICU may put a narrow no-break space before "AM"; readers see a space.
    expect(formatDate(new Date(instant), lang).replace(/\s/g, ' ')).toBe(shown)
  })

  it.each([
    ['2026-11-26T08:00:00Z', 'fr', 'Europe/Paris', '26 novembre 2026 à 09:00 UTC+1'],
    ['2026-07-14T08:00:00Z', 'fr', 'Europe/Paris', '14 juillet 2026 à 10:00 UTC+2'],
    ['2026-11-26T23:30:00Z', 'fr', 'Europe/Paris', '27 novembre 2026 à 00:30 UTC+1'],
    ['2026-11-26T08:00:00Z', 'en-GB', 'Europe/London', '26 November 2026 at 08:00 GMT'],
    ['2026-11-26T08:00:00Z', 'fr', 'UTC', '26 novembre 2026 à 08:00 UTC'],
  ])('formatDate(%s, %j, %j) is %j', (instant, lang, timeZone, shown) => {
    expect(formatDate(new Date(instant), lang, timeZone).replace(/\s/g, ' ')).toBe(shown)
  })

  it.each([
    ['Europe/Paris', true],
    ['UTC', true],
    ['Paris', false],
    ['', false],
  ])('isTimeZone(%j) is %s', (name, expected) => {
    expect(isTimeZone(name)).toBe(expected)
  })
})
