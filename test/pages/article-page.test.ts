import type { Document, Element } from '@xmldom/xmldom'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openBundledSite, type BundledSite } from '../fixtures/bundled-site.js'
import { attributeNames, elements, parseHtml, visibleText } from '../fixtures/parse-html.js'
import { getText } from '../fixtures/read-feeds.js'
import { article, createTestSite, type TestSite } from '../helpers/test-site.js'

/** The element with this class, failing loudly when there is not exactly one. */
function byClass(root: Document | Element, tagName: string, className: string): Element {
  const found = elements(root, tagName).filter((element) => (element.getAttribute('class') ?? '').split(' ').includes(className))
  expect(found, `<${tagName} class="${className}">`).toHaveLength(1)
  return found[0]!
}

/** The only `<article>` of a page. */
function articleOf(page: Document): Element {
  const [only, ...others] = elements(page, 'article')
  expect(others).toEqual([])
  return only!
}

describe('the bundled « Ratatouille » article page', () => {
  let site: BundledSite
  let page: Document

  beforeAll(async () => {
    site = await openBundledSite()
    page = parseHtml(await getText(site.app, '/articles/amazon-operation-ratatouille'))
  })
  afterAll(() => site.close())

  it('is in French: lang="fr" on <html> and <article>', () => {
    expect(page.documentElement!.getAttribute('lang')).toBe('fr')
    expect(articleOf(page).getAttribute('lang')).toBe('fr')
  })

  it('shows the title as <h1> and <title>', () => {
    const title = '« Ratatouille » : Amazon prépare une grande opération pour (re)séduire les clients français'
    expect(elements(articleOf(page), 'h1').map(visibleText)).toEqual([title])
    expect(elements(page, 'title').map(visibleText)).toEqual([title])
  })

  it('shows each picture in a <figure> with its credit in <figcaption>', () => {
    const figures = elements(articleOf(page), 'figure').map((figure) => ({
      src: elements(figure, 'img')[0]?.getAttribute('src'),
      caption: visibleText(elements(figure, 'figcaption')[0]),
    }))
    expect(figures).toEqual([
      { src: 'https://news.example/media/images/ratatouille-lead.svg', caption: '© Shutterstock' },
      { src: 'https://news.example/media/images/amazon-boxes.svg', caption: '© Christian Wiediger via Unsplash' },
      { src: 'https://news.example/media/images/amazon-france.svg', caption: '© Amazon' },
    ])
  })

  it('ends with the sources line, each source linked', () => {
    const sources = byClass(articleOf(page), 'p', 'sources')
    expect(visibleText(sources)).toBe('Sources : Bloomberg, The Daily Telegraph')
    expect(elements(sources, 'a').map((link) => ({ name: visibleText(link), url: link.getAttribute('href') }))).toEqual([
      { name: 'Bloomberg', url: 'https://www.bloomberg.com/' },
      { name: 'The Daily Telegraph', url: 'https://www.telegraph.co.uk/' },
    ])
  })

  it('links the author and the tags to their pages, "É-commerce" under its accent-free slug', () => {
    const byline = byClass(articleOf(page), 'p', 'byline')
    expect(elements(byline, 'a').map((link) => link.getAttribute('href'))).toEqual(['https://news.example/authors/la-redaction'])
    const tags = byClass(articleOf(page), 'p', 'tags')
    expect(elements(tags, 'a').map((link) => [visibleText(link), link.getAttribute('href')])).toEqual([
      ['Amazon', 'https://news.example/tags/amazon'],
      ['É-commerce', 'https://news.example/tags/e-commerce'],
      ['France', 'https://news.example/tags/france'],
    ])
  })

  it('states the publication time in the site time zone (site.timeZone: Europe/Paris), and the instant in a <time datetime>', () => {
    const times = elements(byClass(articleOf(page), 'p', 'dates'), 'time')
    expect(times.map((time) => time.getAttribute('datetime'))).toEqual(['2026-11-26T08:00:00.000Z'])
    expect(visibleText(times[0])).toBe('26 novembre 2026 à 09:00 UTC+1')
  })

  it('offers the site feeds for autodiscovery and the lead picture for previews', () => {
    const alternates = elements(page, 'link').filter((link) => link.getAttribute('rel') === 'alternate')
    expect(alternates.map((link) => [link.getAttribute('type'), link.getAttribute('href')])).toEqual([
      ['application/rss+xml', 'https://news.example/feed.xml'],
      ['application/atom+xml', 'https://news.example/atom.xml'],
      ['application/feed+json', 'https://news.example/feed.json'],
    ])
    const ogImage = elements(page, 'meta').find((meta) => meta.getAttribute('property') === 'og:image')
    expect(ogImage?.getAttribute('content')).toBe('https://news.example/media/images/ratatouille-lead.svg')
  })

  it('renders the English bundled article with lang="en", English labels and dates', async () => {
    const english = parseHtml(await getText(site.app, '/articles/credits-in-feed-readers'))
    expect(english.documentElement!.getAttribute('lang')).toBe('en')
    expect(visibleText(byClass(articleOf(english), 'p', 'sources'))).toBe('Source: Media RSS Specification')
    expect(visibleText(byClass(articleOf(english), 'p', 'byline'))).toBe('By Ada Martin, Samir Haddad')
    const times = elements(byClass(articleOf(english), 'p', 'dates'), 'time').map((time) => time.getAttribute('datetime'))
    expect(times).toEqual(['2026-11-20T14:30:00.000Z', '2026-11-24T13:00:00.000Z'])
  })
})

describe('an article page built from hostile front matter and Markdown', () => {
  let site: TestSite
  let page: Document

  beforeAll(async () => {
    site = await createTestSite({
      'hostile.md': article(
        {
          title: '"<script>alert(1)</script> & \\u0001co"',
          image: '{ src: "https://img.example/a.jpg?w=1&h=2", alt: "A \\"quoted\\" <b>alt</b>", credit: "Smith & Co" }',
          sources: '[{ name: "News <&> Co", url: "https://news.example/?a=1&b=2" }]',
        },
        '<script>alert(2)</script>\n\n[click](javascript:alert(3))\n\n<img src="x" onerror="alert(4)">\n\n![pic](p.png "© Pat")\n',
      ),
    })
    page = parseHtml(await getText(site.app, '/articles/hostile'))
  })
  afterAll(() => site.dispose())

  it('shows the title as text, without its control character', () => {
    expect(elements(articleOf(page), 'h1').map(visibleText)).toEqual(['<script>alert(1)</script> & co'])
  })

  it('has no script, no event attribute and no javascript: URL anywhere', () => {
    expect(elements(page, 'script')).toEqual([])
    expect(attributeNames(page.documentElement!).filter((name) => name.toLowerCase().startsWith('on'))).toEqual([])
    const urls = elements(page, '*').flatMap((element) => ['href', 'src'].map((name) => element.getAttribute(name) ?? ''))
    expect(urls.filter((url) => /^\s*javascript:/i.test(url))).toEqual([])
  })

  it('keeps attribute values exact after escaping', () => {
    const [lead] = elements(articleOf(page), 'img')
    expect(lead?.getAttribute('src')).toBe('https://img.example/a.jpg?w=1&h=2')
    expect(lead?.getAttribute('alt')).toBe('A "quoted" <b>alt</b>')
    const sources = byClass(articleOf(page), 'p', 'sources')
    expect(elements(sources, 'a').map((link) => [visibleText(link), link.getAttribute('href')])).toEqual([['News <&> Co', 'https://news.example/?a=1&b=2']])
    expect(visibleText(sources)).toBe('Source : News <&> Co')
  })

  it('captions every picture', () => {
    expect(elements(articleOf(page), 'figcaption').map(visibleText)).toEqual(['Smith & Co', '© Pat'])
  })
})
