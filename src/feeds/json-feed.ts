import { generateJsonFeed, type JsonFeed } from 'feedsmith'
import type { FeedDocument, FeedItem } from './feed-model.js'
import { assembleJsonFeed } from './item-fragments.js'
import { siteIconUrls } from './site-icon.js'

/** Path, on this service, of the documentation of the `_creditline` extension. */
export const extensionAboutPath = '/about#json-feed-extension-_creditline'

/** The `_creditline` extension object of an item: its sources and the credits of its pictures. */
export interface CreditlineExtension {
  about: string
  sources: Array<{ name: string; url: string }>
  images: Array<{ url: string; alt: string; credit: string | null; copyright: string | null; license: string | null; role: string; lead: boolean }>
}

/**
 * Write a JSON Feed 1.1 document, as stable bytes. Credits and sources go to
 * the documented `_creditline` extension of each item. Each item's text is made once and
 * reused in every document that holds it (see item-fragments).
 * @see https://www.jsonfeed.org/version/1.1/
 */
export function writeJsonFeed(document: FeedDocument): Buffer {
  const about = `${document.baseUrl}${extensionAboutPath}`
  return assembleJsonFeed(generateJsonDocument(document, []), document.items, `json\n${document.baseUrl}`, (item) => (generateJsonFeed({ title: '-', items: [toJsonItem(item, about)] }) as { items: unknown[] }).items[0])
}

/** feedsmith's whole JSON Feed for `document` with `items`, indented by two spaces (the reference the assembled one equals). */
export function generateJsonDocument(document: FeedDocument, items: JsonFeed.Item<Date>[]): string {
  const site = document.site
  const feed: JsonFeed.Feed<Date> & Record<string, unknown> = {
    title: document.title,
    home_page_url: document.homeUrl,
    // feed_url identifies the feed (JSON Feed 1.1), so every page names the first one; pages link on with next_url.
    feed_url: document.feedId,
    description: document.description,
    user_comment: 'This is a JSON Feed (https://www.jsonfeed.org/). Copy its address into a feed reader to subscribe. Picture credits and sources are in each item\'s _creditline object.',
    language: document.language,
    icon: siteIconUrls(document.baseUrl, site).png,
    favicon: siteIconUrls(document.baseUrl, site).png,
    authors: [{ name: site.author.name, ...(site.author.url ? { url: site.author.url } : {}) }],
    ...(document.paging.next ? { next_url: document.paging.next } : {}),
    // WebSub (JSON Feed 1.1 `hubs`): left out without hubs, so those feeds keep their bytes.
    ...(document.hubs.length > 0 ? { hubs: document.hubs.map((url) => ({ type: 'WebSub', url })) } : {}),
    items,
  }
  // feedsmith leaves out empty arrays, but JSON Feed 1.1 requires `items` even when there are
  // none; written last, after the spread, so it is the last member.
  const { items: generated, ...rest } = generateJsonFeed(feed) as Record<string, unknown>
  return `${JSON.stringify({ ...rest, items: generated ?? [] }, null, 2)}\n`
}

/** One JSON Feed item, with its `_creditline` extension (`about`: where the extension is documented). */
export function toJsonItem(item: FeedItem, about: string): JsonFeed.Item<Date> & { _creditline: CreditlineExtension } {
  const lead = item.media.find((media) => media.lead)
  return {
    id: item.id,
    url: item.url,
    title: item.title,
    content_html: item.contentHtml,
    summary: item.summary,
    ...(lead ? { image: lead.url } : {}),
    // Readers that turn attachments into enclosures (Miniflux) then know the picture's size.
    ...(lead?.file && lead.type ? { attachments: [{ url: lead.url, mime_type: lead.type, size_in_bytes: lead.file.bytes, title: lead.alt }] } : {}),
    date_published: item.published,
    ...(item.updated.getTime() === item.published.getTime() ? {} : { date_modified: item.updated }),
    authors: item.authors.map((author) => ({ name: author.name, ...(author.url ? { url: author.url } : {}) })),
    ...(item.tags.length > 0 ? { tags: item.tags.map((tag) => tag.name) } : {}),
    language: item.lang,
    _creditline: {
      about,
      sources: item.sources.map((source) => ({ name: source.name, url: source.url })),
      images: item.media.map((media) => ({
        url: media.url,
        alt: media.alt,
        credit: media.credit ?? null,
        copyright: media.copyright ?? null,
        license: media.license ?? null,
        role: media.role,
        lead: media.lead,
      })),
    },
  }
}
