import path from 'node:path'

/** Where an article lives, so that the relative URLs it contains can be made absolute. */
export interface UrlContext {
  /** Public address of the site (an origin, with the path it lives under if any), without a trailing slash. */
  baseUrl: string
  /** Absolute URL of the article page; relative links resolve against it. */
  pageUrl: string
  /** Path of the Markdown file relative to the content folder; relative images resolve against its folder. */
  file: string
}

/** URL path under which every non-Markdown file of the content folder is served. */
export const mediaPathPrefix = '/media/'

/** Absolute URL of a file of the content folder, given its path relative to that folder. */
export function toMediaUrl(baseUrl: string, contentPath: string): string {
  const encoded = contentPath.split('/').map(encodeURIComponent).join('/')
  return `${baseUrl}${mediaPathPrefix}${encoded}`
}

/**
 * Make a URL found in an article absolute. Images (`src`, `srcset`) resolve against the
 * article file's folder under `/media/`, links against the article page, as a browser
 * reading the Markdown next to its pictures would expect. Feed readers resolve relative
 * URLs inconsistently or not at all, so nothing relative may reach a feed.
 *
 * Returns `undefined` for a value no URL can be made of, and for a picture that is not http(s).
 */
export function resolveUrl(context: UrlContext, value: string, kind: 'link' | 'media'): string | undefined {
  const trimmed = value.trim()
  try {
    let url: URL
    if (kind === 'media' && !/^[a-z][a-z0-9+.-]*:|^\/\//i.test(trimmed) && !trimmed.startsWith('/')) {
      const folder = path.posix.dirname(context.file)
      const base = toMediaUrl(context.baseUrl, folder === '.' ? '' : `${folder}/`)
      url = new URL(trimmed, base.endsWith('/') ? base : `${base}/`)
    } else if (/^\/(?!\/)/.test(trimmed)) {
      // Root-relative ("/articles/x") is relative to the site, which may live under a path.
      url = new URL(`.${trimmed}`, `${context.baseUrl}/`)
    } else {
      url = new URL(trimmed, kind === 'link' ? context.pageUrl : `${context.baseUrl}/`)
    }
    // Pictures reach media:content, JSON Feed and the lead <img> without the sanitizer:
    // only http(s) may, never `javascript:` or `data:`.
    if (kind === 'media' && url.protocol !== 'http:' && url.protocol !== 'https:') return undefined
    return url.href
  } catch {
    return undefined
  }
}

/**
 * Content-folder path a media URL points at, if it points into this site's `/media/`;
 * used to tell the media type of an image and whether it exists.
 */
export function toContentPath(baseUrl: string, url: string): string | undefined {
  const prefix = `${baseUrl}${mediaPathPrefix}`
  if (!url.startsWith(prefix)) return undefined
  try {
    return decodeURIComponent(url.slice(prefix.length).split(/[?#]/)[0] ?? '')
  } catch {
    return undefined
  }
}
