import { generateAtomFeed, type AtomFeed } from 'feedsmith'
import { tightenCdata } from './cdata-whitespace.js'
import { addFeedHistory, escapeXmlAttribute } from './feed-history.js'
import type { FeedDocument, FeedItem } from './feed-model.js'
import type { FragmentStore } from './fragment-store.js'
import { assembleXmlFeed, serializerSample, type XmlItemFormat } from './item-fragments.js'
import { toMediaContents } from './media-elements.js'
import { siteIconUrls } from './site-icon.js'
import { toHtml } from 'hast-util-to-html'

type AtomEntry = AtomFeed.Entry<Date>

/**
 * Write an Atom 1.0 document. Sources become `link rel="via"` with their names,
 * pictures Media RSS, languages `xml:lang`. Text constructs are passed as
 * `{ value, type }`: feedsmith silently drops plain strings there. Each entry is
 * serialized once and reused in every document that holds it (see item-fragments), and
 * taken from `store` when it has it.
 * @see https://www.rfc-editor.org/rfc/rfc4287
 */
export function writeAtom(document: FeedDocument, store?: FragmentStore): Buffer {
  return assembleXmlFeed(atomEntries, document.items, `atom\n${document.baseUrl}`, (item) => toAtomEntry(item, document), (entries) =>
    addFeedHistory(generateAtomDocument(document, entries), 'feed', document.paging),
    store,
  )
}

/** feedsmith's whole Atom document for `document`'s feed metadata with `entries` (the reference the assembled one equals). */
export function generateAtomDocument(document: FeedDocument, entries: AtomEntry[]): string {
  const { paging } = document
  const links: Array<AtomFeed.Link<Date>> = [
    { href: document.selfUrl, rel: 'self', type: 'application/atom+xml' },
    { href: document.homeUrl, rel: 'alternate', type: 'text/html' },
    ...document.hubs.map((hub) => ({ href: hub, rel: 'hub' })),
  ]
  if (paging.current) links.push({ href: paging.current, rel: 'current', type: 'application/atom+xml' })
  if (paging.prevArchive) links.push({ href: paging.prevArchive, rel: 'prev-archive', type: 'application/atom+xml' })
  if (paging.nextArchive) links.push({ href: paging.nextArchive, rel: 'next-archive', type: 'application/atom+xml' })
  const site = document.site
  const feed: AtomFeed.Feed<Date> = {
    id: document.feedId,
    title: { value: document.title, type: 'text' },
    subtitle: { value: document.description, type: 'text' },
    // An empty feed has no newest article; the epoch keeps the bytes stable instead of "now".
    updated: document.updated ?? new Date(0),
    links,
    authors: [{ name: site.author.name, ...(site.author.url ? { uri: site.author.url } : {}), ...(site.author.email ? { email: site.author.email } : {}) }],
    rights: { value: site.copyright, type: 'text' },
    generator: { text: 'Creditline' },
    icon: siteIconUrls(document.baseUrl, document.site).png,
    logo: siteIconUrls(document.baseUrl, document.site).png,
    xml: { lang: document.language },
    entries,
  }
  return tightenCdata(generateAtomFeed(feed, { stylesheets: [{ type: 'text/css', href: escapeXmlAttribute(document.stylesheetUrl) }] }))
}

/** One Atom entry; it depends on the document only through its base URL. */
export function toAtomEntry(item: FeedItem, document: Pick<FeedDocument, 'baseUrl'>): AtomEntry {
  // The lead picture as an enclosure too, as in RSS: newsboat and sfeed read no Media RSS thumbnail.
  const lead = item.media.find((media) => media.lead)
  return {
    id: item.id,
    title: { value: item.title, type: 'text' },
    published: item.published,
    updated: item.updated,
    links: [
      { href: item.url, rel: 'alternate', type: 'text/html', hreflang: item.lang },
      ...item.sources.map((source) => ({ href: source.url, rel: 'via', title: source.name })),
      ...(lead?.file && lead.type ? [{ href: lead.url, rel: 'enclosure', type: lead.type, length: lead.file.bytes }] : []),
    ],
    authors: item.authors.map((author) => ({ name: author.name, ...(author.url ? { uri: author.url } : {}), ...(author.email ? { email: author.email } : {}) })),
    // The name as written: sfeed and others show the term, not the label ("É-commerce", not "e-commerce").
    ...(item.tags.length > 0 ? { categories: item.tags.map((tag) => ({ term: tag.name, scheme: `${document.baseUrl}/tags/` })) } : {}),
    // As HTML, not text: feedparser reports a text summary as text/plain, and rss2email's
    // text mail prefers text/plain to the content, so it mailed the summary alone.
    summary: { value: toHtml({ type: 'text', value: item.summary }), type: 'html' },
    content: { value: item.contentHtml, type: 'html' },
    ...(item.media.length > 0 ? { media: toMediaContents(item.media) } : {}),
    xml: { lang: item.lang },
  }
}

const atomEntries: XmlItemFormat<AtomEntry> = {
  tag: 'entry',
  generateBare: (entries) => tightenCdata(generateAtomFeed({ id: 'urn:x', title: { value: '-', type: 'text' }, updated: new Date(0), entries })),
  sample: toAtomEntry(serializerSample, { baseUrl: 'https://news.example' }),
  plain: { id: 'urn:x', title: { value: '-', type: 'text' }, updated: new Date(0) },
  probes: {
    media: { media: { contents: [{ url: 'http://localhost/' }] } },
  },
}
