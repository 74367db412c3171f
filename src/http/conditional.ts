/** What the precondition headers of a request ask for. */
export type PreconditionResult = 'proceed' | 'not-modified' | 'failed'

/** Request headers that carry preconditions. */
export interface PreconditionHeaders {
  'if-match'?: string | undefined
  'if-none-match'?: string | undefined
  'if-modified-since'?: string | undefined
  'if-unmodified-since'?: string | undefined
}

/**
 * Evaluate preconditions for a GET or HEAD, in the order of RFC 9110 §13.2.2.
 *
 * Written here rather than taken from `fresh` (what Express uses): `fresh` answers 200
 * whenever the request says `Cache-Control: no-cache` and does not treat `If-None-Match: *`
 * as matching, and it knows nothing of `If-Match`, which RFC 9110 asks an origin server
 * to honour.
 *
 * @param headers the request's precondition headers
 * @param etags every current ETag of the resource (one per content coding)
 * @param lastModified the resource's `Last-Modified` as an HTTP date, when it has one
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-13.2.2
 */
export function evaluatePreconditions(headers: PreconditionHeaders, etags: readonly string[], lastModified: string | undefined): PreconditionResult {
  // Parsed only when a date precondition needs it: a poll usually carries If-None-Match alone.
  const datePrecondition = headers['if-modified-since'] !== undefined || headers['if-unmodified-since'] !== undefined
  const modified = lastModified === undefined || !datePrecondition ? undefined : parseHttpDate(lastModified)
  const ifMatch = headers['if-match']
  if (ifMatch !== undefined) {
    // If-Match uses the strong comparison: weak tags never match.
    if (!matchesAny(ifMatch, etags, 'strong')) return 'failed'
  } else if (headers['if-unmodified-since'] !== undefined && modified !== undefined) {
    const since = parseHttpDate(headers['if-unmodified-since'])
    if (since !== undefined && modified > since) return 'failed'
  }
  const ifNoneMatch = headers['if-none-match']
  if (ifNoneMatch !== undefined) return matchesAny(ifNoneMatch, etags, 'weak') ? 'not-modified' : 'proceed'
  const ifModifiedSince = headers['if-modified-since']
  if (ifModifiedSince !== undefined && modified !== undefined) {
    // The date this very representation was sent with, not any later one (nginx's
    // `if_modified_since exact`; RFC 9110 lets a server send the 200 anyway). Last-Modified
    // follows file times, which differ between copies of the content: an instance whose
    // files are older would otherwise answer 304 to a date another instance sent for
    // bytes it no longer has.
    const since = parseHttpDate(ifModifiedSince)
    if (since !== undefined && modified === since) return 'not-modified'
  }
  return 'proceed'
}

// IMF-fixdate, and the obsolete RFC 850 and asctime forms a recipient must still accept.
const httpDateForms = [
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/,
  /^(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), \d{2}-(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)-\d{2} \d{2}:\d{2}:\d{2} GMT$/,
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/,
]

/**
 * Milliseconds of an HTTP-date, or `undefined` for anything else: RFC 9110 §13.1.3 says a
 * value that is not a valid HTTP-date is ignored, even one `Date.parse` would accept.
 */
export function parseHttpDate(value: string): number | undefined {
  const trimmed = value.trim()
  if (!httpDateForms.some((form) => form.test(trimmed))) return undefined
  // asctime has no zone; it is GMT by definition.
  const time = Date.parse(httpDateForms[2]!.test(trimmed) ? `${trimmed} GMT` : trimmed)
  return Number.isNaN(time) ? undefined : time
}

/** Whether an `If-Match`/`If-None-Match` field value matches one of `etags`. */
function matchesAny(field: string, etags: readonly string[], comparison: 'weak' | 'strong'): boolean {
  // What a cache nearly always sends back: one strong tag, one of ours verbatim, which needs no parsing.
  if (field.startsWith('"') && field.indexOf('"', 1) === field.length - 1 && etags.includes(field)) return true
  if (field.trim() === '*') return etags.length > 0
  for (const tag of parseEntityTags(field)) {
    if (comparison === 'strong' && tag.weak) continue
    if (etags.some((etag) => opaque(etag) === tag.opaque && (comparison === 'weak' || !etag.startsWith('W/')))) return true
  }
  return false
}

/** Entity tags of a comma-separated list; a comma may appear inside a quoted tag. */
export function parseEntityTags(field: string): Array<{ weak: boolean; opaque: string }> {
  const tags: Array<{ weak: boolean; opaque: string }> = []
  for (const match of field.matchAll(/(W\/)?("[^"]*")/g)) tags.push({ weak: match[1] !== undefined, opaque: match[2]! })
  return tags
}

function opaque(etag: string): string {
  return etag.startsWith('W/') ? etag.slice(2) : etag
}
