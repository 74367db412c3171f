import { createHash } from 'node:crypto'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import { toLastModified } from '../dates.js'
import { securityHeadersOf } from './security-headers.js'
import { surrogateKeyFields } from './surrogate-keys.js'

/** A content coding the service can send. */
export type Coding = 'br' | 'gzip' | 'identity'

/** One response body with everything needed to answer for it, computed once per version. */
export interface Representation {
  mediaType: string
  /** Strong validator per coding, derived from the bytes. */
  etags: Record<Coding, string>
  /** The same validators as a list, for precondition checks. */
  etagList: string[]
  /**
   * For RSS and Atom: the validators of the same bytes sent as `application/xml` to
   * browsers, another representation and so other ETags.
   */
  xmlEtags: Record<Coding, string> | undefined
  xmlEtagList: string[] | undefined
  /** `Vary` header value, if any. */
  vary: string | undefined
  /** `Link` header value, if any. */
  link: string | undefined
  lastModified: string | undefined
  cacheControl: string
  links: string[]
  /** Surrogate-key header fields (name, value…), for shared caches (see surrogate-keys). */
  keyFields: string[]
  /** Bytes per coding; compressed variants are made on first use and then kept. */
  body(coding: Coding): Buffer
  /** The coding to send: a compressed variant only when it is actually smaller. */
  worthCompressing: boolean
  /**
   * The header fields of a 200 (or HEAD), 304 or 412 answer for one coding, sent as the
   * feed's own type or as `application/xml`: name, value, name, value…, in the order they
   * go on the wire, as `res.writeHead` takes them. Made on first use and then kept.
   */
  headerFields(status: AnswerStatus, coding: Coding, asPlainXml: boolean): string[]
}

/** The answers a representation has header fields for. */
export type AnswerStatus = 200 | 304 | 412

// Below this size compression costs more than it saves (and may even grow the body).
const minCompressBytes = 256

/** Options of `createRepresentation`. */
export interface RepresentationInit {
  body: Buffer
  mediaType: string
  lastModified: Date | undefined
  cacheControl: string
  links: string[]
  /** What the document depends on, for shared caches (see surrogate-keys). */
  keys?: readonly string[] | undefined
}

/**
 * Wrap bytes as a representation: one hash for the ETag, compression at most once
 * per coding, nothing recomputed per request.
 */
export function createRepresentation(init: RepresentationInit): Representation {
  const hash = createHash('sha256').update(init.body).digest('base64url').slice(0, 27)
  const variants: Partial<Record<Coding, Buffer>> = { identity: init.body }
  // Each coding is a different representation, so each gets its own strong ETag (RFC 9110 §8.8.3).
  const etags = { identity: `"${hash}"`, gzip: `"${hash}-gz"`, br: `"${hash}-br"` }
  const xmlFeed = xmlFeedType.test(init.mediaType)
  const xmlEtags = xmlFeed ? { identity: `"${hash}-xml"`, gzip: `"${hash}-gz-xml"`, br: `"${hash}-br-xml"` } : undefined
  const worthCompressing = init.body.length >= minCompressBytes && /^(text\/|application\/(.+\+)?(xml|json)|image\/svg\+xml)/.test(init.mediaType)
  const vary = [...(xmlFeed ? ['Accept'] : []), ...(worthCompressing ? ['Accept-Encoding'] : [])].join(', ')
  // One slot per (status, coding, media type): 3 × 3 × 2 lists at most.
  const fieldLists: Array<string[] | undefined> = []
  const representation: Representation = {
    mediaType: init.mediaType,
    etags,
    etagList: Object.values(etags),
    xmlEtags,
    xmlEtagList: xmlEtags && Object.values(xmlEtags),
    vary: vary === '' ? undefined : vary,
    link: init.links.length > 0 ? init.links.join(', ') : undefined,
    lastModified: init.lastModified ? toLastModified(init.lastModified) : undefined,
    cacheControl: init.cacheControl,
    links: init.links,
    keyFields: surrogateKeyFields(init.keys ?? []),
    worthCompressing,
    headerFields(status, coding, asPlainXml) {
      const slot = statusIndex[status] * 6 + codingIndex[coding] * 2 + (asPlainXml ? 1 : 0)
      return (fieldLists[slot] ??= listHeaderFields(representation, status, coding, asPlainXml))
    },
    body(coding) {
      let bytes = variants[coding]
      if (!bytes) {
        bytes =
          coding === 'br'
            ? brotliCompressSync(init.body, { params: { [constants.BROTLI_PARAM_QUALITY]: 9, [constants.BROTLI_PARAM_SIZE_HINT]: init.body.length, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT } })
            : gzipSync(init.body, { level: 9 })
        variants[coding] = bytes
      }
      return bytes
    },
  }
  return representation
}

const statusIndex: Record<AnswerStatus, number> = { 200: 0, 304: 1, 412: 2 }
const codingIndex: Record<Coding, number> = { identity: 0, gzip: 1, br: 2 }

/**
 * The header fields of one answer, in the order clients have always received them: a 412
 * has those of the 200 but the two that describe its body, a 304 not Content-Type either.
 */
function listHeaderFields(representation: Representation, status: AnswerStatus, coding: Coding, asPlainXml: boolean): string[] {
  const { lastModified, cacheControl, vary, link } = representation
  const etags = asPlainXml ? representation.xmlEtags! : representation.etags
  const fields: string[] = []
  if (status !== 304) fields.push('Content-Type', asPlainXml ? 'application/xml; charset=utf-8' : representation.mediaType)
  fields.push('ETag', etags[coding])
  if (lastModified) fields.push('Last-Modified', lastModified)
  fields.push('Cache-Control', cacheControl)
  if (vary) fields.push('Vary', vary)
  if (link) fields.push('Link', link)
  for (const [name, value] of Object.entries(securityHeadersOf(representation.mediaType))) fields.push(name, value)
  if (status === 200) {
    // Only a cache storing the body needs its keys; a 304 leaves the stored ones (RFC 9111 §4.3.4).
    fields.push(...representation.keyFields)
    if (coding !== 'identity') fields.push('Content-Encoding', coding)
    fields.push('Content-Length', String(representation.body(coding).length))
  }
  return fields
}

/** RSS and Atom media types, which browsers get as `application/xml` (see `send`). */
export const xmlFeedType = /^application\/(rss|atom)\+xml\b/
