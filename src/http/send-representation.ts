import type { IncomingMessage, ServerResponse } from 'node:http'
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
  const etags = asPlainXml ? representation.xmlEtags! : representation.etags
  res.setHeader('Content-Type', asPlainXml ? 'application/xml; charset=utf-8' : representation.mediaType)
  res.setHeader('ETag', etags[coding])
  if (representation.lastModified) res.setHeader('Last-Modified', representation.lastModified)
  res.setHeader('Cache-Control', representation.cacheControl)
  if (representation.vary) res.setHeader('Vary', representation.vary)
  if (representation.link) res.setHeader('Link', representation.link)
  const result = evaluatePreconditions(req.headers, asPlainXml ? representation.xmlEtagList! : representation.etagList, representation.lastModified)
  if (result === 'failed') {
    res.statusCode = 412
    res.end()
    return
  }
  if (result === 'not-modified') {
    res.removeHeader('Content-Type')
    res.statusCode = 304
    res.end()
    return
  }
  const body = representation.body(coding)
  if (coding !== 'identity') res.setHeader('Content-Encoding', coding)
  res.setHeader('Content-Length', body.length)
  res.statusCode = 200
  if (req.method === 'HEAD') res.end()
  else res.end(body)
}

/**
 * Whether a browser is asking for an RSS or Atom feed, which then gets the same bytes as
 * `application/xml`: Chromium shows `application/rss+xml` and `application/atom+xml` as
 * plain text, so the feed's xml-stylesheet (/feed.css, with its "how to subscribe" note)
 * never applies. Browsers ask for `application/xml;q=0.9` over `*\/*;q=0.8`; feed readers
 * name the feed's type or state no preference, and keep it.
 */
function prefersPlainXml(req: IncomingMessage, mediaType: string): boolean {
  if (req.headers.accept === undefined) return false
  const feedType = mediaType.split(';')[0]!.trim()
  return new Negotiator(req).mediaType([feedType, 'application/xml']) === 'application/xml'
}

function chooseCoding(req: IncomingMessage, representation: Representation): Coding {
  if (!representation.worthCompressing || req.headers['accept-encoding'] === undefined) return 'identity'
  // Between codings the client weighs equally, ours decide: brotli is the smallest.
  // @types/negotiator lags behind negotiator 1.1, which takes the server preference as a second argument.
  const negotiator = new Negotiator(req) as unknown as { encodings(available: string[], options: { preferred: string[] }): string[] }
  const coding = negotiator.encodings(codings, { preferred: codings })[0]
  return coding === 'br' || coding === 'gzip' ? coding : 'identity'
}
