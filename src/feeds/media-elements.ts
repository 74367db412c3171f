import type { MediaNs } from 'feedsmith'
import type { MediaItem } from '../markdown/render-article.js'

/**
 * Media RSS for an item's pictures, shared by RSS and Atom: one `media:content` per
 * picture with its credit (EBU role, which the W3C validator requires lowercase),
 * copyright notice (linked to the licence) and alt text as description.
 * @see https://www.rssboard.org/media-rss#media-credit
 */
export function toMediaContents(media: MediaItem[]): MediaNs.ItemOrFeed {
  return {
    contents: media.map((item) => ({
      url: item.url,
      medium: 'image',
      ...(item.type ? { type: item.type } : {}),
      ...(item.credit ? { credits: [{ value: item.credit, role: item.role, scheme: 'urn:ebu' }] } : {}),
      // A licence without a notice still goes out, as an empty media:copyright with its url:
      // the W3C validator rejects media:license.
      ...(item.copyright || item.license ? { copyright: { ...(item.copyright ? { value: item.copyright } : {}), ...(item.license ? { url: item.license } : {}) } } : {}),
      ...(item.alt ? { description: { value: item.alt, type: 'plain' } } : {}),
    })),
  }
}
