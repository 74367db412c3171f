import { describe, expect, it } from 'vitest'
import { evaluatePreconditions, parseEntityTags, parseHttpDate, type PreconditionHeaders, type PreconditionResult } from '../../src/http/conditional.js'

// Feed readers poll with If-None-Match / If-Modified-Since; this is the evaluation every
// feed response goes through (src/http/conditional.ts), tested here with the feeds.

// One representation per content coding, each with its own strong tag, as createApp makes them.
const etags = ['"abc"', '"abc-gz"', '"abc-br"']
const lastModified = 'Thu, 26 Nov 2026 08:00:00 GMT'
const earlier = 'Wed, 25 Nov 2026 08:00:00 GMT'
const later = 'Fri, 27 Nov 2026 08:00:00 GMT'

describe('evaluatePreconditions', () => {
  it.each([
    ['no precondition', {}, 'proceed'],
    // If-None-Match: weak comparison, any tag of a list, `*` for any current representation.
    ['If-None-Match with the current tag', { 'if-none-match': '"abc"' }, 'not-modified'],
    ['If-None-Match with the gzip variant tag', { 'if-none-match': '"abc-gz"' }, 'not-modified'],
    ['If-None-Match with a list holding the tag', { 'if-none-match': '"old", "abc-br"' }, 'not-modified'],
    ['If-None-Match with a list without spaces', { 'if-none-match': '"old","abc"' }, 'not-modified'],
    ['If-None-Match with the weak form of the tag', { 'if-none-match': 'W/"abc"' }, 'not-modified'],
    ['If-None-Match: *', { 'if-none-match': '*' }, 'not-modified'],
    ['If-None-Match: * with spaces', { 'if-none-match': ' * ' }, 'not-modified'],
    ['If-None-Match with another tag', { 'if-none-match': '"old"' }, 'proceed'],
    ['If-None-Match with an unquoted tag', { 'if-none-match': 'abc' }, 'proceed'],
    ['If-None-Match with a tag that only contains the current one', { 'if-none-match': '"abcd"' }, 'proceed'],
    // If-Modified-Since, at second precision.
    ['If-Modified-Since the same second', { 'if-modified-since': lastModified }, 'not-modified'],
    // Only the date it was sent with: a later one may come from another instance's files.
    ['If-Modified-Since a later date', { 'if-modified-since': later }, 'proceed'],
    ['If-Modified-Since an earlier date', { 'if-modified-since': earlier }, 'proceed'],
    ['If-Modified-Since an invalid date', { 'if-modified-since': 'yesterday' }, 'proceed'],
    // Precedence: If-None-Match decides alone when present (RFC 9110 §13.2.2 step 3).
    ['a stale If-None-Match with a fresh If-Modified-Since', { 'if-none-match': '"old"', 'if-modified-since': later }, 'proceed'],
    ['a matching If-None-Match with an old If-Modified-Since', { 'if-none-match': '"abc"', 'if-modified-since': earlier }, 'not-modified'],
    // If-Match: strong comparison; failing it wins over everything else.
    ['If-Match with the current tag', { 'if-match': '"abc"' }, 'proceed'],
    ['If-Match with a list holding the tag', { 'if-match': '"old", "abc-gz"' }, 'proceed'],
    ['If-Match: *', { 'if-match': '*' }, 'proceed'],
    ['If-Match with another tag', { 'if-match': '"old"' }, 'failed'],
    ['If-Match with the weak form of the tag', { 'if-match': 'W/"abc"' }, 'failed'],
    ['a failing If-Match with a matching If-None-Match', { 'if-match': '"old"', 'if-none-match': '"abc"' }, 'failed'],
    ['a passing If-Match with a matching If-None-Match', { 'if-match': '"abc"', 'if-none-match': '"abc"' }, 'not-modified'],
    // If-Unmodified-Since, only without If-Match.
    ['If-Unmodified-Since an earlier date', { 'if-unmodified-since': earlier }, 'failed'],
    ['If-Unmodified-Since the same second', { 'if-unmodified-since': lastModified }, 'proceed'],
    ['If-Unmodified-Since an invalid date', { 'if-unmodified-since': 'never' }, 'proceed'],
    ['If-Unmodified-Since an earlier date with a passing If-Match', { 'if-match': '"abc"', 'if-unmodified-since': earlier }, 'proceed'],
  ] satisfies Array<[string, PreconditionHeaders, PreconditionResult]>)('evaluatePreconditions with %s is %j', (_case, headers, result) => {
    expect(evaluatePreconditions(headers, etags, lastModified)).toBe(result)
  })

  it.each([
    ['If-Modified-Since', { 'if-modified-since': later }, 'proceed'],
    ['If-Unmodified-Since', { 'if-unmodified-since': earlier }, 'proceed'],
    ['If-None-Match', { 'if-none-match': '"abc"' }, 'not-modified'],
  ] satisfies Array<[string, PreconditionHeaders, PreconditionResult]>)('evaluatePreconditions without Last-Modified answers %s with %j', (_case, headers, result) => {
    expect(evaluatePreconditions(headers, etags, undefined)).toBe(result)
  })

  it.each([
    ['If-None-Match: *', { 'if-none-match': '*' }, 'proceed'],
    ['If-Match: *', { 'if-match': '*' }, 'failed'],
  ] satisfies Array<[string, PreconditionHeaders, PreconditionResult]>)('evaluatePreconditions with no current representation answers %s with %j', (_case, headers, result) => {
    expect(evaluatePreconditions(headers, [], undefined)).toBe(result)
  })

  it('compares a tag with a comma inside it as one tag', () => {
    expect(evaluatePreconditions({ 'if-none-match': '"a,b"' }, ['"a,b"'], undefined)).toBe('not-modified')
    expect(evaluatePreconditions({ 'if-none-match': '"a", "b"' }, ['"a,b"'], undefined)).toBe('proceed')
  })
})

describe('parseEntityTags', () => {
  it.each([
    ['"abc"', [{ weak: false, opaque: '"abc"' }]],
    ['W/"abc"', [{ weak: true, opaque: '"abc"' }]],
    ['"a", W/"b",  "c"', [{ weak: false, opaque: '"a"' }, { weak: true, opaque: '"b"' }, { weak: false, opaque: '"c"' }]],
    ['"a,b", "c"', [{ weak: false, opaque: '"a,b"' }, { weak: false, opaque: '"c"' }]],
    ['""', [{ weak: false, opaque: '""' }]],
    ['', []],
    ['abc', []],
  ])('parseEntityTags(%j) is %o', (field, tags) => {
    expect(parseEntityTags(field)).toEqual(tags)
  })
})

describe('parseHttpDate', () => {
  it.each([
    ['Sun, 06 Nov 1994 08:49:37 GMT', Date.UTC(1994, 10, 6, 8, 49, 37)],
    ['Sunday, 06-Nov-94 08:49:37 GMT', Date.UTC(1994, 10, 6, 8, 49, 37)],
    ['Sun Nov  6 08:49:37 1994', Date.UTC(1994, 10, 6, 8, 49, 37)],
    ['1994-11-06T08:49:37Z', undefined],
    ['Sun, 06 Nov 1994 08:49:37 +0100', undefined],
    ['yesterday', undefined],
  ])('parseHttpDate(%j) is %j', (value, expected) => {
    expect(parseHttpDate(value)).toBe(expected)
  })

  it('evaluatePreconditions ignores an If-Modified-Since that is not an HTTP-date', () => {
    expect(evaluatePreconditions({ 'if-modified-since': '2099-01-01T00:00:00Z' }, ['"a"'], 'Sun, 06 Nov 1994 08:49:37 GMT')).toBe('proceed')
  })
})
