/**
 * Content-Security-Policy by what a response is. Pages load their stylesheet and
 * pictures, nothing else, and run no script (they have none). RSS and Atom load
 * `/feed.css` through their `xml-stylesheet`. An SVG may style itself but is sandboxed:
 * a script in it never runs on this origin. Everything else loads nothing.
 *
 * @see https://www.w3.org/TR/CSP3/
 */
const policies = {
  page: "default-src 'none'; img-src 'self' https: http:; style-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  feed: "default-src 'none'; style-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  svg: "default-src 'none'; style-src 'unsafe-inline'; sandbox",
  other: "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
}

/**
 * The security headers of a response, by its media type (`''` for one not known yet):
 * every response is never sniffed as another type (`nosniff`), is never framed, sends
 * only its origin to other sites, and has the Content-Security-Policy of its kind.
 * The server, its fast path and the static export's headers files all send these.
 */
export function securityHeadersOf(mediaType: string): Record<string, string> {
  return {
    'Content-Security-Policy': policies[policyOf(mediaType)],
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
  }
}

function policyOf(mediaType: string): keyof typeof policies {
  const type = mediaType.split(';')[0]!.trim().toLowerCase()
  if (type === 'text/html') return 'page'
  if (type === 'image/svg+xml') return 'svg'
  if (type === 'application/rss+xml' || type === 'application/atom+xml' || type === 'application/xml') return 'feed'
  return 'other'
}
