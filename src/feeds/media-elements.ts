import type { MediaNs } from 'feedsmith'
import type { FeedMedia } from './feed-model.js'

/**
 * Media RSS for an item's pictures, shared by RSS and Atom: one `media:content` per
 * picture with its credit (EBU role, which the W3C validator requires lowercase),
 * copyright notice (linked to the licence), and the size and dimensions of a picture of
 * the content folder; the lead picture is also the item's `media:thumbnail`.
 *
 * No `media:description`: feedparser takes the last one for the item's summary, and
 * rss2email then mailed a picture's alt text instead of the article. The alt text stays
 * in the content's `<img>` and in JSON Feed.
 * @see https://www.rssboard.org/media-rss#media-credit
 */
export function toMediaContents(media: FeedMedia[]): MediaNs.ItemOrFeed {
  const lead = media.find((item) => item.lead)
  return {
    ...(lead ? { thumbnails: [{ url: lead.url, ...dimensionsOf(lead) }] } : {}),
    contents: media.map((item) => ({
      url: item.url,
      medium: 'image',
      ...(item.type ? { type: item.type } : {}),
      ...(item.file ? { fileSize: item.file.bytes } : {}),
      ...dimensionsOf(item),
      ...(item.credit ? { credits: [{ value: item.credit, role: item.role, scheme: 'urn:ebu' }] } : {}),
      // A licence without a notice still goes out, as an empty media:copyright with its url:
      // the W3C validator rejects media:license.
      ...(item.copyright || item.license ? { copyright: { ...(item.copyright ? { value: item.copyright } : {}), ...(item.license ? { url: item.license } : {}) } } : {}),
    })),
  }
}

function dimensionsOf(item: FeedMedia): { width?: number; height?: number } {
  const { width, height } = item.file ?? {}
  return width !== undefined && height !== undefined ? { width, height } : {}
}
