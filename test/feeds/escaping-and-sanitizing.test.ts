import type { Element } from '@xmldom/xmldom'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { child, children, ns, text } from '../helpers/parse-xml.js'
import { article, createTestSite, type TestSite } from '../helpers/test-site.js'
import { attributeNames, elements, parseHtmlFragment, visibleText } from '../fixtures/parse-html.js'
import { atomEntry, contentHtmlOf, fetchFeeds, jsonItem, mediaContents, rssItem, type Feeds } from '../fixtures/read-feeds.js'

// Where naive feed generators break, each case through the real pipeline (files → store →
// renderer → app) into RSS, Atom and JSON Feed, read back with strict parsers.

const url = (slug: string) => `https://news.example/articles/${slug}`

/** The title of an item in each format, after parsing. */
function titlesOf(feeds: Feeds, slug: string) {
  return {
    rss: text(child(rssItem(feeds.rss, url(slug)), null, 'title')),
    atom: text(child(atomEntry(feeds.atom, url(slug)), ns.atom, 'title')),
    json: jsonItem(feeds.json, url(slug)).title,
  }
}

/** Each format's content of an item, parsed as HTML. */
function contentsOf(feeds: Feeds, slug: string): Array<[string, Element]> {
  const html = contentHtmlOf(feeds, url(slug))
  return [
    ['rss', parseHtmlFragment(html.rss)],
    ['atom', parseHtmlFragment(html.atom)],
    ['json', parseHtmlFragment(html.json)],
  ]
}

/** The paragraphs of a content fragment after its byline (every item's content opens with one). */
function bodyParagraphs(content: Element): string[] {
  const paragraphs = elements(content, 'p')
  expect(paragraphs[0]?.getAttribute('class')).toBe('byline')
  return paragraphs.slice(1).map(visibleText)
}

/** Every `href` and `src` in a content fragment. */
function urlsIn(content: Element): string[] {
  return elements(content, '*').flatMap((element) => ['href', 'src'].flatMap((name) => (element.hasAttribute(name) ? [element.getAttribute(name)!] : [])))
}

describe('hostile text through the three feeds', () => {
  let site: TestSite
  let feeds: Feeds

  beforeAll(async () => {
    site = await createTestSite({
      'cdata.md': article({ title: '"Ends with ]]> twice ]]>"' }, 'Before ]]> middle ]]> after, and `code ]]> span`.\n'),
      'markup.md': article(
        {
          title: '"Fish & Chips < 5 € > 4"',
          image: '{ src: "https://img.example/lead.jpg?w=1&h=2", alt: "Alt & <b>bold</b> \\"quoted\\"", credit: "Smith & Sons <Photo>" }',
          sources: '[{ name: "News & Co <Daily>", url: "https://source.example/?a=1&b=2" }]',
        },
        '![Body & <alt>](https://img.example/body.jpg?a=1&b=<2> "© Jones & Co")\n',
      ),
      'control.md': article({ title: '"Bell\u0007 rings \\u0001 twice\\x0B"', summary: '"Sum\u0002mary"' }, 'Back\u0008space and vertical\u000Btab and \uFFFEnon-character.\n'),
      'plain.md': article({ summary: '"Moins de 25 % & < 9 € <b>pas du HTML</b>"' }, 'Corps & <i>texte</i> < 3.\n'),
    })
    feeds = await fetchFeeds(site.app)
  })
  afterAll(() => site.dispose())

  it('publishes every case without a front-matter problem', () => {
    expect(site.store.catalog.problems).toEqual([])
    expect(site.store.catalog.articles.map((entry) => entry.slug).sort()).toEqual(['cdata', 'control', 'markup', 'plain'])
  })

  it('keeps two "]]>" in a title intact in every format', () => {
    expect(titlesOf(feeds, 'cdata')).toEqual({ rss: 'Ends with ]]> twice ]]>', atom: 'Ends with ]]> twice ]]>', json: 'Ends with ]]> twice ]]>' })
  })

  it.each(['rss', 'atom', 'json'])('keeps two "]]>" in the body intact in %s', (format) => {
    const [, content] = contentsOf(feeds, 'cdata').find(([name]) => name === format)!
    expect(bodyParagraphs(content)).toEqual(['Before ]]> middle ]]> after, and code ]]> span.'])
  })

  it('gives the same content HTML in every format after parsing', () => {
    for (const slug of ['cdata', 'markup', 'control']) {
      const html = contentHtmlOf(feeds, url(slug))
      expect(html.rss, slug).toBe(html.json)
      expect(html.atom, slug).toBe(html.json)
    }
  })

  it('keeps "]]>" in the derived summary of every format', () => {
    const summary = 'Before ]]> middle ]]> after, and code ]]> span.'
    expect(visibleText(parseHtmlFragment(text(child(rssItem(feeds.rss, url('cdata')), null, 'description'))))).toBe(summary)
    expect(visibleText(parseHtmlFragment(text(child(atomEntry(feeds.atom, url('cdata')), ns.atom, 'summary'))))).toBe(summary)
    expect(jsonItem(feeds.json, url('cdata')).summary).toBe(summary)
  })

  it.each([
    ['written by the editor', 'plain', 'Moins de 25 % & < 9 € <b>pas du HTML</b>'],
    ['derived from the body', 'cdata', 'Before ]]> middle ]]> after, and code ]]> span.'],
  ])('sends a plain-text summary %s as escaped HTML in RSS and Atom (feedparser reads a text one as text/plain, which rss2email mails instead of the content) and as text in JSON Feed', (_name, slug, summary) => {
    const description = text(child(rssItem(feeds.rss, url(slug)), null, 'description'))
    expect(visibleText(parseHtmlFragment(description))).toBe(summary)
    expect(elements(parseHtmlFragment(description), 'b')).toEqual([])
    const atomSummary = child(atomEntry(feeds.atom, url(slug)), ns.atom, 'summary')
    expect(atomSummary.getAttribute('type')).toBe('html')
    expect(visibleText(parseHtmlFragment(text(atomSummary)))).toBe(summary)
    expect(elements(parseHtmlFragment(text(atomSummary)), 'b')).toEqual([])
    expect(jsonItem(feeds.json, url(slug)).summary).toBe(summary)
  })

  it('keeps "&", "<" and ">" in a title exact in every format', () => {
    expect(titlesOf(feeds, 'markup')).toEqual({ rss: 'Fish & Chips < 5 € > 4', atom: 'Fish & Chips < 5 € > 4', json: 'Fish & Chips < 5 € > 4' })
  })

  it.each([
    ['rss', (feeds: Feeds) => rssItem(feeds.rss, url('markup'))],
    ['atom', (feeds: Feeds) => atomEntry(feeds.atom, url('markup'))],
  ] as const)('parses back image URLs and credits with "&" and "<" exactly in %s media:content, without media:description', (_format, itemOf) => {
    expect(mediaContents(itemOf(feeds))).toEqual([
      { url: 'https://img.example/lead.jpg?w=1&h=2', credit: 'Smith & Sons <Photo>', role: 'photographer', copyright: undefined, copyrightUrl: undefined, description: undefined },
      // WHATWG URL parsing percent-encodes "<" and ">" in a query; "&" stays a separator.
      { url: 'https://img.example/body.jpg?a=1&b=%3C2%3E', credit: 'Jones & Co', role: 'photographer', copyright: '© Jones & Co', copyrightUrl: null, description: undefined },
    ])
  })

  it.each([
    ['rss', (feeds: Feeds) => rssItem(feeds.rss, url('markup'))],
    ['atom', (feeds: Feeds) => atomEntry(feeds.atom, url('markup'))],
  ] as const)('parses back a source name and URL with "&" and "<" exactly in %s rel="via" links', (_format, itemOf) => {
    const via = children(itemOf(feeds), ns.atom, 'link').filter((link) => link.getAttribute('rel') === 'via')
    expect(via.map((link) => [link.getAttribute('title'), link.getAttribute('href')])).toEqual([['News & Co <Daily>', 'https://source.example/?a=1&b=2']])
  })

  it('parses back the same values from JSON Feed', () => {
    const item = jsonItem(feeds.json, url('markup'))
    expect(item.image).toBe('https://img.example/lead.jpg?w=1&h=2')
    expect(item._creditline.sources).toEqual([{ name: 'News & Co <Daily>', url: 'https://source.example/?a=1&b=2' }])
    expect(item._creditline.images.map(({ url, alt, credit }) => ({ url, alt, credit }))).toEqual([
      { url: 'https://img.example/lead.jpg?w=1&h=2', alt: 'Alt & <b>bold</b> "quoted"', credit: 'Smith & Sons <Photo>' },
      { url: 'https://img.example/body.jpg?a=1&b=%3C2%3E', alt: 'Body & <alt>', credit: 'Jones & Co' },
    ])
  })

  it.each(['rss', 'atom', 'json'])('keeps attribute values exact in the content HTML of %s', (format) => {
    const [, content] = contentsOf(feeds, 'markup').find(([name]) => name === format)!
    expect(elements(content, 'img').map((img) => [img.getAttribute('src'), img.getAttribute('alt')])).toEqual([
      ['https://img.example/lead.jpg?w=1&h=2', 'Alt & <b>bold</b> "quoted"'],
      ['https://img.example/body.jpg?a=1&b=%3C2%3E', 'Body & <alt>'],
    ])
    expect(elements(content, 'figcaption').map(visibleText)).toEqual(['Smith & Sons <Photo>', '© Jones & Co'])
  })

  it('removes control characters, raw or written as YAML escapes, from title, summary and body', () => {
    expect(titlesOf(feeds, 'control')).toEqual({ rss: 'Bell rings  twice', atom: 'Bell rings  twice', json: 'Bell rings  twice' })
    expect(jsonItem(feeds.json, url('control')).summary).toBe('Summary')
    for (const [format, content] of contentsOf(feeds, 'control')) {
      expect(bodyParagraphs(content), format).toEqual(['Backspace and verticaltab and non-character.'])
    }
  })
})

describe('relative URLs through the three feeds', () => {
  let site: TestSite
  let feeds: Feeds

  beforeAll(async () => {
    site = await createTestSite({
      'dossier/relative.md': article(
        { image: '{ src: images/lead.png, alt: Lead, credit: Lead Photographer }' },
        [
          '![Beside](images/beside.png "© Beside")',
          '',
          '![Up](../shared/up.png "© Up")',
          '',
          '![Rooted](/static/rooted.png "© Rooted")',
          '',
          '[sibling](other-article) [rooted](/tags/x) [anchor](#part) [query](?page=2) [mail](mailto:desk@news.example)',
          '',
        ].join('\n'),
      ),
    })
    feeds = await fetchFeeds(site.app)
  })
  afterAll(() => site.dispose())

  const expectedImages = [
    'https://news.example/media/dossier/images/lead.png',
    'https://news.example/media/dossier/images/beside.png',
    'https://news.example/media/shared/up.png',
    'https://news.example/static/rooted.png',
  ]
  const expectedLinks = [
    'https://news.example/articles/other-article',
    'https://news.example/tags/x',
    'https://news.example/articles/relative#part',
    'https://news.example/articles/relative?page=2',
    'mailto:desk@news.example',
  ]

  it.each(['rss', 'atom', 'json'])('resolves pictures against the file folder under /media/ and links against the page in %s content', (format) => {
    const [, content] = contentsOf(feeds, 'relative').find(([name]) => name === format)!
    expect(elements(content, 'img').map((img) => img.getAttribute('src'))).toEqual(expectedImages)
    expect(elements(content, 'a').map((link) => link.getAttribute('href'))).toEqual(expectedLinks)
    // Nothing relative is left: each value parses as a URL without a base.
    for (const value of urlsIn(content)) expect(() => new URL(value), value).not.toThrow()
  })

  it('gives media:content and _creditline the same absolute picture URLs', () => {
    expect(mediaContents(rssItem(feeds.rss, url('relative'))).map((media) => media.url)).toEqual(expectedImages)
    expect(mediaContents(atomEntry(feeds.atom, url('relative'))).map((media) => media.url)).toEqual(expectedImages)
    const item = jsonItem(feeds.json, url('relative'))
    expect(item.image).toBe(expectedImages[0])
    expect(item._creditline.images.map((image) => image.url)).toEqual(expectedImages)
  })
})

describe('scripts and script URLs through the three feeds', () => {
  let site: TestSite
  let feeds: Feeds

  beforeAll(async () => {
    site = await createTestSite({
      'script.md': article(
        {},
        [
          'Safe text.',
          '',
          '<script>alert(1)</script>',
          '',
          '<img src="x.png" onerror="alert(2)"> <a href="javascript:alert(3)">raw</a>',
          '',
          '[md link](javascript:alert(4)) [upper](JAVASCRIPT:alert(5)) [spaced](<  javascript:alert(6)>)',
          '',
          '![script picture](javascript:alert(7) "© Someone")',
          '',
          '![data picture](data:image/svg+xml,<svg/onload=alert(8)> "© Someone")',
          '',
        ].join('\n'),
      ),
      'lead.md': article({ image: '{ src: "javascript:alert(9)", alt: x, credit: y }' }),
    })
    feeds = await fetchFeeds(site.app)
  })
  afterAll(() => site.dispose())

  it.each(['rss', 'atom', 'json'])('leaves no script, event attribute or script URL in %s content', (format) => {
    const [, content] = contentsOf(feeds, 'script').find(([name]) => name === format)!
    expect(elements(content, 'script')).toEqual([])
    expect(attributeNames(content).filter((name) => name.toLowerCase().startsWith('on'))).toEqual([])
    expect(urlsIn(content).filter((value) => !/^https?:/i.test(value))).toEqual([])
    // The text around what was dropped is still there.
    expect(bodyParagraphs(content)[0]).toBe('Safe text.')
  })

  it('keeps javascript: and data: pictures out of media:content and _creditline', () => {
    expect(mediaContents(rssItem(feeds.rss, url('script')))).toEqual([])
    expect(mediaContents(atomEntry(feeds.atom, url('script')))).toEqual([])
    expect(jsonItem(feeds.json, url('script'))._creditline.images).toEqual([])
  })

  it('refuses a lead picture with a javascript: URL, naming the field', () => {
    expect(site.store.catalog.bySlug.has('lead')).toBe(false)
    expect(site.store.catalog.problems).toEqual([
      { file: 'lead.md', line: 4, field: 'image.src', message: 'expected a path relative to the article file or an http(s) URL, got "javascript:alert(9)"' },
    ])
  })
})

describe('URLs under another BASE_URL', () => {
  let site: TestSite
  let feeds: Feeds

  beforeAll(async () => {
    // A trailing slash in the setting must not double the slash in any URL.
    site = await createTestSite(
      { 'dossier/moved.md': article({ image: '{ src: lead.png, alt: Lead, credit: Agency }' }, '![Body](body.png "© B")\n\n[sibling](other)\n') },
      { env: { BASE_URL: 'http://127.0.0.1:8080/' } },
    )
    feeds = await fetchFeeds(site.app)
  })
  afterAll(() => site.dispose())

  it('builds every URL of every format on it', () => {
    const moved = 'http://127.0.0.1:8080/articles/moved'
    const html = contentHtmlOf(feeds, moved)
    for (const [format, content] of Object.entries(html)) {
      const fragment = parseHtmlFragment(content)
      expect(elements(fragment, 'img').map((img) => img.getAttribute('src')), format).toEqual(['http://127.0.0.1:8080/media/dossier/lead.png', 'http://127.0.0.1:8080/media/dossier/body.png'])
      expect(elements(fragment, 'a').map((link) => link.getAttribute('href')), format).toEqual(['http://127.0.0.1:8080/articles/other'])
    }
    expect(mediaContents(rssItem(feeds.rss, moved)).map((media) => media.url)).toEqual(['http://127.0.0.1:8080/media/dossier/lead.png', 'http://127.0.0.1:8080/media/dossier/body.png'])
    expect(feeds.json.feed_url).toBe('http://127.0.0.1:8080/feed.json')
    expect(jsonItem(feeds.json, moved)._creditline.about).toBe('http://127.0.0.1:8080/about#json-feed-extension-_creditline')
  })
})

describe('a licensed picture without a copyright notice', () => {
  let site: TestSite
  let feeds: Feeds
  beforeAll(async () => {
    site = await createTestSite({
      'cc.md': article({ image: '{ src: "https://img.example/cc.jpg", alt: "Un quai", credit: Wikimedia Commons, license: "https://creativecommons.org/licenses/by-sa/4.0/" }' }),
    })
    feeds = await fetchFeeds(site.app)
  })
  afterAll(() => site.dispose())

  // media:copyright/@url is the licence's place in RSS and Atom: without a notice it was
  // lost. (media:license would say it better, but the W3C validator rejects it.)
  it.each([
    ['RSS', () => rssItem(feeds.rss, url('cc'))],
    ['Atom', () => atomEntry(feeds.atom, url('cc'))],
  ])('keeps the licence in %s as an empty media:copyright with its url', (_format, item) => {
    expect(mediaContents(item())).toEqual([expect.objectContaining({ credit: 'Wikimedia Commons', copyright: '', copyrightUrl: 'https://creativecommons.org/licenses/by-sa/4.0/' })])
  })

  it('keeps the licence in JSON Feed', () => {
    expect(jsonItem(feeds.json, url('cc'))._creditline.images[0]).toMatchObject({ credit: 'Wikimedia Commons', license: 'https://creativecommons.org/licenses/by-sa/4.0/' })
  })
})
