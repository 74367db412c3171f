/**
 * Why Creditline writes its feeds with feedsmith and not with the `feed` package: four
 * defects of `feed` 6.0.0 (a devDependency kept only for these tests), each shown on
 * `feed`'s own output beside Creditline's writers for the same input. Should a later
 * `feed` fix one, its test fails and tells us to look again.
 */
import { Feed, type Item } from 'feed'
import type { Element } from '@xmldom/xmldom'
import { describe, expect, it } from 'vitest'
import { writeAtom } from '../../src/feeds/atom.js'
import type { FeedDocument, FeedFormat, FeedItem } from '../../src/feeds/feed-model.js'
import { writeJsonFeed } from '../../src/feeds/json-feed.js'
import { writeRss } from '../../src/feeds/rss.js'
import { child, children, ns, parseXml, text } from '../helpers/parse-xml.js'

/** An Unsplash-style picture URL: its query string has two `&`. */
const unsplashUrl = 'https://images.unsplash.com/photo-1?ixlib=rb-4.0.3&w=1200&q=80'
const credit = 'Christian Wiediger via Unsplash'
const copyright = '© Christian Wiediger via Unsplash'
const published = new Date('2026-11-26T08:00:00Z')

/** The one story both libraries are given; each case varies only what it is about. */
const story = {
  url: 'https://news.example/articles/colis',
  title: 'Des colis et des crédits',
  summary: 'Un article avec une photo créditée.',
  contentHtml: '<p>Un paragraphe.</p>',
  imageUrl: 'https://news.example/media/colis.jpg',
}

type Story = typeof story

/** `feed` 6.0.0 given the story through the API it offers, plus whatever `item` adds. */
function createFeedPackageFeed(input: Story, item: Partial<Item> = {}): Feed {
  const feed = new Feed({
    id: 'https://news.example/',
    title: 'Test Site',
    description: 'A site made by a test.',
    link: 'https://news.example/',
    language: 'fr',
    copyright: '© 2026 Test',
    updated: published,
    generator: false,
    feedLinks: { rss: 'https://news.example/feed.xml', atom: 'https://news.example/atom.xml', json: 'https://news.example/feed.json' },
  })
  feed.addItem({
    id: input.url,
    link: input.url,
    title: input.title,
    description: input.summary,
    content: input.contentHtml,
    date: published,
    published,
    author: [{ name: 'La rédaction' }],
    ...item,
  })
  return feed
}

/**
 * A Media RSS picture with its credit, as `feed`'s only door to other namespaces (an
 * extension, copied as xml-js objects) lets one write it; the namespace is declared on
 * the element because `feed` offers no way to declare it on the root.
 */
function mediaExtension(url: string): NonNullable<Item['extensions']>[number] {
  return {
    name: 'media:content',
    objects: {
      _attributes: { 'xmlns:media': ns.media, url, medium: 'image' },
      'media:credit': { _attributes: { role: 'photographer', scheme: 'urn:ebu' }, _text: credit },
      'media:copyright': { _text: copyright },
    },
  }
}

/** Creditline's writers given the same story, as one `FeedDocument`. */
function writeWithCreditline(format: FeedFormat, input: Story): string {
  const item: FeedItem = {
    id: input.url,
    url: input.url,
    title: input.title,
    summary: input.summary,
    contentHtml: input.contentHtml,
    published,
    updated: published,
    authors: [{ name: 'La rédaction' }],
    tags: [],
    lang: 'fr',
    media: [{ url: input.imageUrl, type: undefined, alt: 'Des colis', credit, copyright, license: undefined, role: 'photographer', lead: true, file: undefined }],
    sources: [],
  }
  const document: FeedDocument = {
    format,
    site: { title: 'Test Site', description: 'A site made by a test.', language: 'fr', author: { name: 'La rédaction' }, copyright: '© 2026 Test', timeZone: 'UTC' },
    baseUrl: 'https://news.example',
    title: 'Test Site',
    description: 'A site made by a test.',
    language: 'fr',
    selfUrl: `https://news.example/${format === 'rss' ? 'feed.xml' : format === 'atom' ? 'atom.xml' : 'feed.json'}`,
    homeUrl: 'https://news.example/',
    feedId: 'https://news.example/feed',
    updated: published,
    lastModified: published,
    items: [item],
    paging: { complete: true, archive: false, current: undefined, prevArchive: undefined, nextArchive: undefined, next: undefined },
    stylesheetUrl: 'https://news.example/feed.css',
    hubs: [],
    lasting: true,
  }
  return (format === 'rss' ? writeRss(document) : format === 'atom' ? writeAtom(document) : writeJsonFeed(document)).toString('utf8')
}

/** The single item (RSS) or entry (Atom) of a parsed feed. */
function onlyEntry(xml: string, format: 'rss' | 'atom'): Element {
  const root = parseXml(xml).documentElement!
  const entries = format === 'rss' ? children(child(root, null, 'channel'), null, 'item') : children(root, ns.atom, 'entry')
  expect(entries).toHaveLength(1)
  return entries[0]!
}

/** Where each XML format keeps an entry's full HTML. */
function contentOf(entry: Element, format: 'rss' | 'atom'): Element {
  return format === 'rss' ? child(entry, ns.content, 'encoded') : child(entry, ns.atom, 'content')
}

/** Every element of a document in the Media RSS namespace, or spelled with its usual prefix. */
function mediaElements(xml: string): Element[] {
  const all = parseXml(xml).getElementsByTagName('*')
  const found: Element[] = []
  for (let index = 0; index < all.length; index++) {
    const element = all.item(index)!
    if (element.namespaceURI === ns.media || element.prefix === 'media') found.push(element)
  }
  return found
}

const feedPackageXml = { rss: (feed: Feed) => feed.rss2(), atom: (feed: Feed) => feed.atom1() }

describe('1. HTML that contains "]]>" twice', () => {
  const twoCdataEnds = { ...story, contentHtml: '<p>Un tableau JavaScript : <code>a[b[0]]>c</code>, puis <code>x[y[1]]>z</code>.</p>' }

  it.each(['rss', 'atom'] as const)('feed 6.0.0 writes %s that is not XML: it splits only the first "]]>" of a CDATA section', (format) => {
    const once = feedPackageXml[format](createFeedPackageFeed({ ...story, contentHtml: '<p>a[b[0]]>c</p>' }))
    expect(text(contentOf(onlyEntry(once, format), format))).toBe('<p>a[b[0]]>c</p>')
    const twice = feedPackageXml[format](createFeedPackageFeed(twoCdataEnds))
    expect(() => parseXml(twice)).toThrow(/mismatch/)
  })

  it.each(['rss', 'atom'] as const)('Creditline writes %s that parses and gives back the HTML byte for byte', (format) => {
    const entry = onlyEntry(writeWithCreditline(format, twoCdataEnds), format)
    expect(contentOf(entry, format).textContent).toBe(twoCdataEnds.contentHtml)
  })
})

describe('2. A picture URL with "&" in its query string (Unsplash)', () => {
  it('feed 6.0.0 writes the "&" raw in an extension attribute, so the media:content that carries a credit makes RSS that is not XML', () => {
    const xml = createFeedPackageFeed(story, { extensions: [mediaExtension(unsplashUrl)] }).rss2()
    expect(() => parseXml(xml)).toThrow(/EntityRef/)
    // The same extension with a URL without "&" parses: the "&" alone breaks it.
    const control = createFeedPackageFeed(story, { extensions: [mediaExtension(story.imageUrl)] }).rss2()
    expect(child(mediaElements(control)[0]!, ns.media, 'credit').textContent).toBe(credit)
  })

  it.each(['rss', 'atom'] as const)('feed 6.0.0 escapes its own %s image enclosure, yet gives it the media type "image//photo-1" made from the URL path', (format) => {
    const entry = onlyEntry(feedPackageXml[format](createFeedPackageFeed(story, { image: unsplashUrl })), format)
    const enclosure = format === 'rss' ? child(entry, null, 'enclosure') : children(entry, ns.atom, 'link').find((link) => link.getAttribute('rel') === 'enclosure')!
    expect(enclosure.getAttribute(format === 'rss' ? 'url' : 'href')).toBe(unsplashUrl)
    expect(enclosure.getAttribute('type')).toBe('image//photo-1')
  })

  it.each(['rss', 'atom'] as const)('Creditline writes %s whose media:content gives back the Unsplash URL, with its credit and no invented type', (format) => {
    const entry = onlyEntry(writeWithCreditline(format, { ...story, imageUrl: unsplashUrl }), format)
    const content = child(entry, ns.media, 'content')
    expect(content.getAttribute('url')).toBe(unsplashUrl)
    expect(content.hasAttribute('type')).toBe(false)
    expect(text(child(content, ns.media, 'credit'))).toBe(credit)
  })
})

describe('3. A picture credit in Atom', () => {
  it('feed 6.0.0 drops every extension from Atom: the Feed that writes media:credit in RSS writes no Media RSS in Atom', () => {
    // Everything the API accepts for a picture and its credit: an image, a copyright,
    // an item extension and a feed extension.
    const feed = createFeedPackageFeed(story, { image: story.imageUrl, copyright, extensions: [mediaExtension(story.imageUrl)] })
    feed.addExtension({ name: 'media:credit', objects: { _attributes: { 'xmlns:media': ns.media, role: 'publisher', scheme: 'urn:ebu' }, _text: 'Test Site' } })
    const rssCredits = mediaElements(feed.rss2()).filter((element) => element.localName === 'credit')
    expect(rssCredits.map((element) => text(element))).toEqual([credit, 'Test Site'])
    const atom = feed.atom1()
    expect(mediaElements(atom)).toEqual([])
    // What does reach Atom is the copyright line, as atom:rights text: no credit, no role.
    expect(text(child(onlyEntry(atom, 'atom'), ns.atom, 'rights'))).toBe(copyright)
  })

  it('Creditline writes Atom whose entry carries media:content with media:credit and its EBU role', () => {
    const entry = onlyEntry(writeWithCreditline('atom', story), 'atom')
    const credits = children(child(entry, ns.media, 'content'), ns.media, 'credit')
    expect(credits.map((element) => [text(element), element.getAttribute('role'), element.getAttribute('scheme')])).toEqual([[credit, 'photographer', 'urn:ebu']])
  })
})

describe('4. JSON Feed version', () => {
  it('feed 6.0.0 writes JSON Feed 1.0 only: version 1, a single author, no language', () => {
    const json = JSON.parse(createFeedPackageFeed(story).json1()) as Record<string, unknown> & { items: Array<Record<string, unknown>> }
    expect(json.version).toBe('https://jsonfeed.org/version/1')
    expect(json).not.toHaveProperty('language')
    expect(json.items[0]).toHaveProperty('author', { name: 'La rédaction' })
    expect(json.items[0]).not.toHaveProperty('authors')
  })

  it('Creditline writes JSON Feed 1.1: version 1.1, authors arrays, language', () => {
    const json = JSON.parse(writeWithCreditline('json', story)) as Record<string, unknown> & { items: Array<Record<string, unknown>> }
    expect(json.version).toBe('https://jsonfeed.org/version/1.1')
    expect(json).toHaveProperty('language', 'fr')
    expect(json.items[0]).toHaveProperty('authors', [{ name: 'La rédaction' }])
    expect(json.items[0]).not.toHaveProperty('author')
  })
})
