import { createHash } from 'node:crypto'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'

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
  /** Bytes per coding; compressed variants are made on first use and then kept. */
  body(coding: Coding): Buffer
  /** The coding to send: a compressed variant only when it is actually smaller. */
  worthCompressing: boolean
}

// Below this size compression costs more than it saves (and may even grow the body).
const minCompressBytes = 256

/** Options of `createRepresentation`. */
export interface RepresentationInit {
  body: Buffer
  mediaType: string
  lastModified: Date | undefined
  cacheControl: string
  links: string[]
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
  return {
    mediaType: init.mediaType,
    etags,
    etagList: Object.values(etags),
    xmlEtags,
    xmlEtagList: xmlEtags && Object.values(xmlEtags),
    vary: vary === '' ? undefined : vary,
    link: init.links.length > 0 ? init.links.join(', ') : undefined,
    lastModified: init.lastModified ? toHttpDate(init.lastModified) : undefined,
    cacheControl: init.cacheControl,
    links: init.links,
    worthCompressing,
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
}

/** RSS and Atom media types, which browsers get as `application/xml` (see `send`). */
export const xmlFeedType = /^application\/(rss|atom)\+xml\b/

/** IMF-fixdate, second precision, as HTTP requires. */
export function toHttpDate(date: Date): string {
  return new Date(Math.floor(date.getTime() / 1000) * 1000).toUTCString()
}
