import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http'
import Negotiator from 'negotiator'
import { evaluatePreconditions } from './conditional.js'
import type { Coding, Representation } from './representation.js'

const codings: Coding[] = ['br', 'gzip', 'identity']

/**
 * Answer with a representation: validators, caching headers, the content coding, 304,
 * 412 and HEAD. It uses only `node:http`'s own request and response, so the same code
 * answers through Express and through the cache-only fast path of the server.
 */
export function sendRepresentation(req: IncomingMessage, res: ServerResponse, representation: Representation): void {
  const coding = chooseCoding(req, representation)
  const asPlainXml = representation.xmlEtags !== undefined && prefersPlainXml(req, representation.mediaType)
  const result = hasPreconditions(req.headers)
    ? evaluatePreconditions(req.headers, asPlainXml ? representation.xmlEtagList! : representation.etagList, representation.lastModified)
    : 'proceed'
  if (result === 'failed') {
    // Rare, so set one by one: then Node adds `Content-Length: 0`, after its own fields, as for any empty answer.
    const fields = withDate(representation.headerFields(412, coding, asPlainXml))
    for (let index = 0; index < fields.length; index += 2) res.setHeader(fields[index]!, fields[index + 1]!)
    res.statusCode = 412
    res.end()
    return
  }
  // One writeHead with the precomputed fields costs a fraction of setting them one by one.
  if (result === 'not-modified') {
    res.writeHead(304, withDate(representation.headerFields(304, coding, asPlainXml))).end()
    return
  }
  res.writeHead(200, withDate(representation.headerFields(200, coding, asPlainXml)))
  if (req.method === 'HEAD') res.end()
  else res.end(representation.body(coding))
}

// Node's own Date comes from a string it renews with a timer once a second; on a busy
// server the timer runs late and Date lags the clock, so it could fall before a
// Last-Modified taken from the clock a moment earlier (RFC 9110 §8.8.2.1 forbids that).
let dateSecond = -1
let dateValue = ''

/** The header fields with `Date` read from the clock now, after the representation was made. */
function withDate(fields: string[]): string[] {
  const second = Math.floor(Date.now() / 1000)
  if (second !== dateSecond) {
    dateSecond = second
    dateValue = new Date(second * 1000).toUTCString()
  }
  return [...fields, 'Date', dateValue]
}

/** Whether the request has any precondition; most have none, and then there is nothing to evaluate. */
function hasPreconditions(headers: IncomingHttpHeaders): boolean {
  return headers['if-none-match'] !== undefined || headers['if-modified-since'] !== undefined || headers['if-match'] !== undefined || headers['if-unmodified-since'] !== undefined
}

// Negotiation results by header value. Clients send few distinct values and negotiating
// costs more than the rest of a cached answer. Made-up values must not grow memory: a memo
// is emptied when it reaches `memoLimit` entries, and longer values are never kept.
const memoLimit = 256
const memoKeyLimit = 512
const codingByAcceptEncoding = new Map<string, Coding>()
const plainXmlByAccept = new Map<string, Map<string, boolean>>()

/**
 * Whether a browser is asking for an RSS or Atom feed, which then gets the same bytes as
 * `application/xml`: Chromium shows `application/rss+xml` and `application/atom+xml` as
 * plain text, so the feed's xml-stylesheet (/feed.css, with its "how to subscribe" note)
 * never applies. Browsers ask for `application/xml;q=0.9` over `*\/*;q=0.8`; feed readers
 * name the feed's type or state no preference, and keep it.
 */
function prefersPlainXml(req: IncomingMessage, mediaType: string): boolean {
  const accept = req.headers.accept
  if (accept === undefined) return false
  let memo = plainXmlByAccept.get(mediaType)
  if (memo === undefined) plainXmlByAccept.set(mediaType, (memo = new Map()))
  let plainXml = memo.get(accept)
  if (plainXml === undefined) {
    const feedType = mediaType.split(';')[0]!.trim()
    plainXml = new Negotiator({ headers: { accept } }).mediaType([feedType, 'application/xml']) === 'application/xml'
    if (memo.size >= memoLimit) memo.clear()
    if (accept.length <= memoKeyLimit) memo.set(accept, plainXml)
  }
  return plainXml
}

function chooseCoding(req: IncomingMessage, representation: Representation): Coding {
  const acceptEncoding = req.headers['accept-encoding']
  if (!representation.worthCompressing || acceptEncoding === undefined) return 'identity'
  let coding = codingByAcceptEncoding.get(acceptEncoding)
  if (coding === undefined) {
    // Between codings the client weighs equally, ours decide: brotli is the smallest.
    // @types/negotiator lags behind negotiator 1.1, which takes the server preference as a second argument.
    const negotiator = new Negotiator({ headers: { 'accept-encoding': acceptEncoding } }) as unknown as { encodings(available: string[], options: { preferred: string[] }): string[] }
    const negotiated = negotiator.encodings(codings, { preferred: codings })[0]
    coding = negotiated === 'br' || negotiated === 'gzip' ? negotiated : 'identity'
    if (codingByAcceptEncoding.size >= memoLimit) codingByAcceptEncoding.clear()
    if (acceptEncoding.length <= memoKeyLimit) codingByAcceptEncoding.set(acceptEncoding, coding)
  }
  return coding
}
