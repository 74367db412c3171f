import type { Config } from '../config.js'
import type { CachePolicy } from '../site/site-documents.js'

/**
 * `Cache-Control` of a document's policy: what the server sends, and what the static
 * export writes for a host to send.
 */
export function cacheControlOf(config: Pick<Config, 'http'>, policy: CachePolicy): string {
  if (policy === 'immutable') return 'public, max-age=31536000, immutable'
  return `public, max-age=${config.http.maxAge}, stale-while-revalidate=${config.http.staleWhileRevalidate}`
}

/**
 * The response headers JSON Feed is read with from other origins: a script may poll with
 * its validators (`If-None-Match` needs a preflight) and follow `Link` and `Retry-After`.
 */
export const jsonFeedExposedHeaders = ['ETag', 'Last-Modified', 'Link', 'Retry-After']

/** The CORS headers of a JSON Feed `GET`: any origin may read it. */
export const jsonFeedCorsHeaders = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': jsonFeedExposedHeaders.join(',') }
