import { generateRssFeed, type RssFeed } from 'feedsmith'
import { toHtml } from 'hast-util-to-html'
import { tightenCdata } from './cdata-whitespace.js'
import { addFeedHistory, escapeXmlAttribute } from './feed-history.js'
import type { FeedDocument, FeedItem } from './feed-model.js'
import type { FragmentStore } from './fragment-store.js'
import { assembleXmlFeed, serializerSample, type XmlItemFormat } from './item-fragments.js'
import { toMediaContents } from './media-elements.js'
import { joinAuthorNames } from './feed-byline.js'
import { siteIconUrls } from './site-icon.js'

type RssItem = RssFeed.Item<Date>

/**
 * Write an RSS 2.0 document. Names go to one `dc:creator` (RSS `<author>` must be an
 * e-mail): readers keep either the first or the last of several; the lead picture of the
 * content folder also goes to `<enclosure>`, the site icon to `<image>`; the first source to `dc:source` (only one is valid) and every source to
 * `atom:link rel="via"` with its name; language to `<language>` and, per item, `dc:language`.
 * Each item is serialized once and reused in every document that holds it (see item-fragments),
 * and taken from `store` when it has it.
 * @see https://www.rssboard.org/rss-specification
 */
export function writeRss(document: FeedDocument, store?: FragmentStore): Buffer {
  return assembleXmlFeed(rssItems, document.items, `rss\n${document.baseUrl}\n${document.language}`, (item) => toRssItem(item, document), (items) =>
    addFeedHistory(generateRssDocument(document, items), 'rss', document.paging),
    store,
  )
}

/** feedsmith's whole RSS document for `document`'s channel with `items` (the reference the assembled one equals). */
export function generateRssDocument(document: FeedDocument, items: RssItem[]): string {
  const links: Array<{ href: string; rel: string; type?: string; title?: string }> = [
    { href: document.selfUrl, rel: 'self', type: 'application/rss+xml' },
    ...document.hubs.map((hub) => ({ href: hub, rel: 'hub' })),
  ]
  const { paging } = document
  if (paging.current) links.push({ href: paging.current, rel: 'current', type: 'application/rss+xml' })
  if (paging.prevArchive) links.push({ href: paging.prevArchive, rel: 'prev-archive', type: 'application/rss+xml' })
  if (paging.nextArchive) links.push({ href: paging.nextArchive, rel: 'next-archive', type: 'application/rss+xml' })
  const feed: RssFeed.Feed<Date> = {
    title: document.title,
    link: document.homeUrl,
    description: toHtml({ type: 'text', value: document.description }),
    language: document.language,
    copyright: document.site.copyright,
    generator: 'Creditline',
    docs: 'https://www.rssboard.org/rss-specification',
    image: { url: siteIconUrls(document.baseUrl, document.site).png, title: document.title, link: document.homeUrl },
    ...(document.updated ? { lastBuildDate: document.updated } : {}),
    atom: { links },
    items,
  }
  return tightenCdata(generateRssFeed(feed, { stylesheets: [{ type: 'text/css', href: escapeXmlAttribute(document.stylesheetUrl) }] }))
}

/** One RSS item; it depends on the document only through its base URL and language. */
export function toRssItem(item: FeedItem, document: Pick<FeedDocument, 'baseUrl' | 'language'>): RssItem {
  // RSS requires an enclosure's length: only a picture of the content folder has a known one.
  const lead = item.media.find((media) => media.lead)
  return {
    title: item.title,
    link: item.url,
    // A permanent id that is not the page's address must not be taken for a link.
    guid: { value: item.id, isPermaLink: item.id === item.url },
    pubDate: item.published,
    // RSS readers take a description as HTML: a plain-text summary is escaped, or its
    // "<" and "&" would be read as markup (the W3C validator warns NotHtml).
    description: toHtml({ type: 'text', value: item.summary }),
    content: { encoded: item.contentHtml },
    ...(lead?.file && lead.type ? { enclosures: [{ url: lead.url, length: lead.file.bytes, type: lead.type }] } : {}),
    ...(item.tags.length > 0 ? { categories: item.tags.map((tag) => ({ name: tag.name, domain: `${document.baseUrl}/tags/` })) } : {}),
    dc: {
      creators: [joinAuthorNames(item.authors)],
      ...(item.sources[0] ? { sources: [item.sources[0].url] } : {}),
      ...(item.lang === document.language ? {} : { languages: [item.lang] }),
    },
    ...(item.sources.length > 0 ? { atom: { links: item.sources.map((source) => ({ href: source.url, rel: 'via', title: source.name })) } } : {}),
    ...(item.media.length > 0 ? { media: toMediaContents(item.media) } : {}),
  }
}

const rssItems: XmlItemFormat<RssItem> = {
  tag: 'item',
  generateBare: (items) => tightenCdata(generateRssFeed({ title: '-', link: 'http://localhost/', description: '-', items })),
  sample: toRssItem(serializerSample, { baseUrl: 'https://news.example', language: 'fr' }),
  plain: { title: '-' },
  probes: {
    content: { content: { encoded: '-' } },
    dc: { dc: { creators: ['-'] } },
    atom: { atom: { links: [{ href: 'http://localhost/' }] } },
    media: { media: { contents: [{ url: 'http://localhost/' }] } },
  },
}
