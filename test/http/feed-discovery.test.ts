import type { Document, Element, Node } from '@xmldom/xmldom'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseHtml } from '../fixtures/parse-html.js'
import { article, createTestSite, type TestSite, siteAddresses } from '../helpers/test-site.js'

// Feed readers find a page's feeds from <link rel="alternate"> (or the Link header), and
// link previews read Open Graph: every page must name its own feeds, absolutely, with
// the right types, and say its language and title.
//
// hast-util-from-html is not installed, so pages are parsed by test/fixtures/parse-html.ts
// (@xmldom/xmldom's HTML mode, failing on any parser warning) and searched by a tree walk.

const leadSvg = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="3"><rect width="4" height="3"/></svg>\n'

describe.each(siteAddresses)('the site $where', ({ basePath }) => {
  const baseUrl = `https://news.example${basePath}`
  let site: TestSite
  beforeAll(async () => {
    site = await createTestSite({
      'with-lead.md': article({
        title: '"Opération « Ratatouille » & co"',
        date: '2026-11-20T10:00:00+01:00',
        author: 'Jeanne Dupont',
        tags: '[É-commerce]',
        image: '{ src: images/lead.svg, alt: "Des colis", credit: Shutterstock }',
      }),
      'no-lead.md': article({ title: '"Credits in feed readers"', date: '2026-11-19T10:00:00+01:00', lang: 'en' }),
      'images/lead.svg': leadSvg,
    }, { basePath })
  })
  afterAll(() => site.dispose())

  interface PageExpectation {
    path: string
    lang: string
    title: string
    /** URL prefix of the feeds the page offers. */
    feedPrefix: string
    ogImage: string | undefined
  }

  const pages: PageExpectation[] = [
    { path: '/', lang: 'fr', title: 'Test Site', feedPrefix: '', ogImage: `${baseUrl}/media/images/lead.svg` },
    { path: '/articles/with-lead', lang: 'fr', title: 'Opération « Ratatouille » & co', feedPrefix: '', ogImage: `${baseUrl}/media/images/lead.svg` },
    { path: '/articles/no-lead', lang: 'en', title: 'Credits in feed readers', feedPrefix: '', ogImage: undefined },
    { path: '/tags/e-commerce', lang: 'fr', title: 'Test Site: É-commerce', feedPrefix: '/tags/e-commerce', ogImage: `${baseUrl}/media/images/lead.svg` },
    { path: '/authors/jeanne-dupont', lang: 'fr', title: 'Test Site: Jeanne Dupont', feedPrefix: '/authors/jeanne-dupont', ogImage: `${baseUrl}/media/images/lead.svg` },
    { path: '/authors/la-redaction', lang: 'fr', title: 'Test Site: La rédaction', feedPrefix: '/authors/la-redaction', ogImage: undefined },
  ]

  const feedTypes = [
    ['feed.xml', 'application/rss+xml', 'RSS'],
    ['atom.xml', 'application/atom+xml', 'Atom'],
    ['feed.json', 'application/feed+json', 'JSON Feed'],
  ] as const

  /** Every element under `root` that satisfies `test`, in document order. */
  function findElements(root: Document | Element | Node, test: (element: Element) => boolean): Element[] {
    const found: Element[] = []
    for (let node = root.firstChild; node; node = node.nextSibling) {
      if (node.nodeType !== 1) continue
      const element = node as Element
      if (test(element)) found.push(element)
      found.push(...findElements(element, test))
    }
    return found
  }

  /** Elements of this tag name whose attributes include all of `attributes`. */
  function select(root: Document, tagName: string, attributes: Record<string, string> = {}): Element[] {
    return findElements(root, (element) => element.localName === tagName && Object.entries(attributes).every(([name, value]) => element.getAttribute(name) === value))
  }

  /** The content of `<meta property="…">`, when exactly one is present. */
  function metaProperty(document: Document, property: string): string | undefined {
    const found = select(document, 'meta', { property })
    expect(found.length, `<meta property="${property}">`).toBeLessThanOrEqual(1)
    return found[0]?.getAttribute('content') ?? undefined
  }

  /** One value of a `Link` header (RFC 8288). */
  interface WebLink {
    target: string
    params: Record<string, string>
  }

  /**
   * Parse a `Link` header. Written by hand: no parser is installed, and the values here are
   * `<uri>; name="value"` or `name*=UTF-8''…` lists whose URIs and values hold no comma.
   */
  function parseLinkHeader(header: string | undefined): WebLink[] {
    if (!header) return []
    return header.split(/,\s*(?=<)/).map((value) => {
      const [target, ...params] = value.split(';').map((part) => part.trim())
      return {
        target: target!.slice(1, -1),
        params: Object.fromEntries(
          params.map((param) => {
            const equals = param.indexOf('=')
            return [param.slice(0, equals).toLowerCase(), param.slice(equals + 1).replace(/^"|"$/g, '')]
          }),
        ),
      }
    })
  }

  /** Decode an RFC 8187 ext-value, failing when a character is outside its grammar. */
  function decodeExtValue(value: string): string {
    const prefix = "UTF-8''"
    expect(value.startsWith(prefix), `${value} starts with ${prefix}`).toBe(true)
    const encoded = value.slice(prefix.length)
    // RFC 8187 §3.2.1: value-chars = *( pct-encoded / attr-char ).
    expect(encoded, 'only attr-char and pct-encoded').toMatch(/^(?:[A-Za-z0-9!#$&+\-.^_`|~]|%[0-9A-Fa-f]{2})*$/)
    return decodeURIComponent(encoded)
  }

  describe.each(pages)('the page $path', (page) => {
    const pageUrl = `${baseUrl}${page.path}`
    let document: Document
    let linkHeader: string | undefined
    beforeAll(async () => {
      const response = await request(site.app).get(`${basePath}${page.path}`)
      expect(response.status).toBe(200)
      document = parseHtml(response.text)
      linkHeader = response.headers.link as string | undefined
    })

    it(`says lang="${page.lang}" and its title`, () => {
      const [html] = select(document, 'html')
      expect(html?.getAttribute('lang')).toBe(page.lang)
      const titles = select(document, 'title')
      expect(titles.map((title) => title.textContent)).toEqual([page.title])
    })

    it('names its canonical URL and Open Graph title, URL and image', () => {
      expect(select(document, 'link', { rel: 'canonical' }).map((link) => link.getAttribute('href'))).toEqual([pageUrl])
      expect(metaProperty(document, 'og:title')).toBe(page.title)
      expect(metaProperty(document, 'og:url')).toBe(pageUrl)
      expect(metaProperty(document, 'og:image')).toBe(page.ogImage)
    })

    it.each(feedTypes)(`offers its %s as <link rel="alternate" type="%s"> with an absolute href, titled "… (%s)"`, (file, type, name) => {
      const links = select(document, 'link', { rel: 'alternate', type })
      expect(links.map((link) => link.getAttribute('href'))).toEqual([`${baseUrl}${page.feedPrefix}/${file}`])
      // Pages of the whole site offer the site's feeds; a tag's or author's page, its own.
      expect(links[0]!.getAttribute('title')).toBe(`${page.feedPrefix === '' ? 'Test Site' : page.title} (${name})`)
    })

    it('its discovery links lead to feeds of the type they announce', async () => {
      for (const link of select(document, 'link', { rel: 'alternate' })) {
        const href = link.getAttribute('href')!
        const response = await request(site.app).get(new URL(href).pathname)
        expect(response.status, href).toBe(200)
        expect(String(response.headers['content-type']).split(';')[0], href).toBe(link.getAttribute('type'))
      }
    })

    it('repeats them in Link headers with rel="alternate", type and an RFC 8187 title', () => {
      const alternates = parseLinkHeader(linkHeader).filter((link) => link.params.rel === 'alternate')
      expect(alternates.map((link) => [link.target, link.params.type])).toEqual(feedTypes.map(([file, type]) => [`${baseUrl}${page.feedPrefix}/${file}`, type]))
      const htmlTitles = select(document, 'link', { rel: 'alternate' }).map((link) => link.getAttribute('title'))
      expect(alternates.map((link) => decodeExtValue(link.params['title*']!))).toEqual(htmlTitles)
    })
  })

  describe('the picture of a preview', () => {
    it('og:image of an article is served as a picture', async () => {
      const response = await request(site.app).get(`${basePath}/articles/with-lead`)
      const image = metaProperty(parseHtml(response.text), 'og:image')!
      const picture = await request(site.app).get(new URL(image).pathname)
      expect(picture.status).toBe(200)
      expect(String(picture.headers['content-type']).split(';')[0]).toBe('image/svg+xml')
    })
  })

  describe('feeds', () => {
    it.each(['/feed.xml', '/atom.xml', '/feed.json', '/tags/e-commerce/feed.json', '/authors/jeanne-dupont/atom.xml'])('GET %s has a Link header rel="self" to itself', async (path) => {
      const response = await request(site.app).get(`${basePath}${path}`)
      const selves = parseLinkHeader(response.headers.link as string | undefined).filter((link) => link.params.rel === 'self')
      expect(selves.map((link) => link.target)).toEqual([`${baseUrl}${path}`])
      expect(selves[0]!.params.type).toBe(String(response.headers['content-type']).split(';')[0])
    })
  })
})
