import type { Element } from '@xmldom/xmldom'
import request from 'supertest'
import type { Response } from 'superagent'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { child, children, ns, parseXml, text } from '../helpers/parse-xml.js'
import { article, createTestSite, type TestSite, siteAddresses } from '../helpers/test-site.js'

// A feed reader stores the URL a document says it lives at (its self link) and dedupes
// items by id: the self link must be the URL that was fetched, every id the article's URL,
// and the same content must give the same bytes, or readers show duplicates.


describe.each(siteAddresses)('the site $where', ({ basePath }) => {
  const baseUrl = `https://news.example${basePath}`
  const articleUrls = [1, 2, 3, 4, 5, 6, 7].map((day) => `${baseUrl}/articles/article-${day}`)
  let site: TestSite
  beforeAll(async () => {
    // Seven articles and two per feed: the site has three archives and four JSON pages,
    // the tag and the author two each.
    const files: Record<string, string> = {}
    for (let day = 1; day <= 7; day++) {
      files[`article-${day}.md`] = article({
        title: `"Article ${day}"`,
        date: `2026-11-0${day}T10:00:00+01:00`,
        author: day % 2 === 0 ? 'Jeanne Dupont' : 'La rédaction',
        tags: day <= 4 ? '[É-commerce]' : '[France]',
      })
    }
    site = await createTestSite(files, { basePath, configFile: { feed: { size: 2 } } })
  })
  afterAll(() => site.dispose())

  const feedPaths = [
    '/feed.xml',
    '/atom.xml',
    '/feed.json',
    '/feed.json?page=2',
    '/feed.json?page=4',
    '/archive/1/feed.xml',
    '/archive/3/feed.xml',
    '/archive/1/atom.xml',
    '/archive/3/atom.xml',
    '/tags/e-commerce/feed.xml',
    '/tags/e-commerce/atom.xml',
    '/tags/e-commerce/feed.json',
    '/tags/e-commerce/feed.json?page=2',
    '/tags/e-commerce/archive/1/feed.xml',
    '/tags/e-commerce/archive/1/atom.xml',
    '/authors/jeanne-dupont/feed.xml',
    '/authors/jeanne-dupont/atom.xml',
    '/authors/jeanne-dupont/feed.json',
    '/authors/jeanne-dupont/feed.json?page=2',
    '/authors/jeanne-dupont/archive/1/feed.xml',
    '/authors/jeanne-dupont/archive/1/atom.xml',
  ]

  describe('self links', () => {
    it.each(feedPaths.filter((path) => !path.includes('?page=')))('GET %s names the served URL as its self link, in the document and in Link', async (path) => {
      const response = await request(site.app).get(`${basePath}${path}`)
      expect(response.status).toBe(200)
      const served = `${baseUrl}${path}`
      expect(readFeed(path, response.text).self).toBe(served)
      expect(linkHeaderTargets(response.headers.link, 'self')).toEqual([served])
    })

    // JSON Feed 1.1: feed_url "serves as the unique identifier for the feed", so a later page
    // names the feed a reader subscribes to; the page's own URL is in its Link header.
    it.each(feedPaths.filter((path) => path.includes('?page=')))('GET %s names the feed as feed_url and the page as Link rel="self"', async (path) => {
      const response = await request(site.app).get(`${basePath}${path}`)
      expect(response.status).toBe(200)
      expect(readFeed(path, response.text).self).toBe(`${baseUrl}${path.split('?')[0]}`)
      expect(linkHeaderTargets(response.headers.link, 'self')).toEqual([`${baseUrl}${path}`])
    })

    it('GET /feed.json?page=1 is the current feed and names its canonical URL', async () => {
      const [first, current] = await Promise.all([request(site.app).get(`${basePath}/feed.json?page=1`), request(site.app).get(`${basePath}/feed.json`)])
      expect(first.text).toBe(current.text)
      expect(readFeed('/feed.json', first.text).self).toBe(`${baseUrl}/feed.json`)
    })
  })

  describe('item ids', () => {
    it.each(feedPaths)('GET %s identifies every item by its article URL, which serves the article', async (path) => {
      const response = await request(site.app).get(`${basePath}${path}`)
      const { items } = readFeed(path, response.text)
      expect(items.length).toBeGreaterThan(0)
      for (const item of items) {
        expect(articleUrls).toContain(item.id)
        expect(item.url).toBe(item.id)
      }
      for (const item of items) expect((await request(site.app).get(new URL(item.id).pathname)).status).toBe(200)
    })
  })

  describe('stable bytes', () => {
    it.each([...feedPaths, '/', '/articles/article-7', '/tags/e-commerce', '/authors/jeanne-dupont'])('two GETs of %s give identical bytes and ETag', async (path) => {
      const get = () => request(site.app).get(`${basePath}${path}`).set('Accept-Encoding', 'identity').buffer(true).parse(collectBytes)
      const first = await get()
      const second = await get()
      expect(second.headers.etag).toBe(first.headers.etag)
      expect(second.headers['last-modified']).toBe(first.headers['last-modified'])
      expect(Buffer.compare(second.body as Buffer, first.body as Buffer)).toBe(0)
    })
  })

  describe('other spellings of a published path', () => {
    // They are answered from the catalog like the canonical path, though not cached.
    it.each([
      ['/feed.json?page=1', '/feed.json'],
      ['/?page=2', '/'],
      ['/articles/%61rticle-7', '/articles/article-7'],
      ['/tags/e-commerce/feed.json?page=1', '/tags/e-commerce/feed.json'],
    ])('GET %s gives the bytes and ETag of %s', async (spelling, canonical) => {
      const get = (path: string) => request(site.app).get(`${basePath}${path}`).set('Accept-Encoding', 'identity').buffer(true).parse(collectBytes)
      const [variant, original] = await Promise.all([get(spelling), get(canonical)])
      expect(variant.status).toBe(200)
      expect(variant.headers.etag).toBe(original.headers.etag)
      expect(Buffer.compare(variant.body as Buffer, original.body as Buffer)).toBe(0)
    })
  })

  /** An item's identity as each format writes it. */
  interface ItemIdentity {
    id: string
    url: string
  }

  /** The self link and the item ids of a feed document, whatever its format. */
  function readFeed(path: string, body: string): { self: string | undefined; items: ItemIdentity[] } {
    if (path.includes('feed.json')) {
      const json = JSON.parse(body) as { feed_url?: string; items: Array<{ id: string; url: string }> }
      return { self: json.feed_url, items: json.items.map(({ id, url }) => ({ id, url })) }
    }
    const root = parseXml(body).documentElement!
    if (root.localName === 'rss') {
      const channel = child(root, null, 'channel')
      return {
        self: linkWithRel(children(channel, ns.atom, 'link'), 'self'),
        items: children(channel, null, 'item').map((item) => {
          const guid = child(item, null, 'guid')
          // A guid is a URL only when isPermaLink is absent or "true".
          expect(guid.getAttribute('isPermaLink') ?? 'true').toBe('true')
          return { id: text(guid), url: text(child(item, null, 'link')) }
        }),
      }
    }
    return {
      self: linkWithRel(children(root, ns.atom, 'link'), 'self'),
      items: children(root, ns.atom, 'entry').map((entry) => ({ id: text(child(entry, ns.atom, 'id')), url: linkWithRel(children(entry, ns.atom, 'link'), 'alternate') ?? '' })),
    }
  }

  /** The href of the only link with this relation (Atom's default relation is "alternate"). */
  function linkWithRel(links: Element[], rel: string): string | undefined {
    const hrefs = links.filter((link) => (link.getAttribute('rel') ?? 'alternate') === rel).map((link) => link.getAttribute('href') ?? '')
    expect(hrefs.length, `links with rel="${rel}"`).toBeLessThanOrEqual(1)
    return hrefs[0]
  }

  /**
   * Targets of a `Link` header (RFC 8288) with this relation. Written by hand: the values
   * here are `<uri>; param=value` lists whose URIs contain no comma, and no parser is installed.
   */
  function linkHeaderTargets(header: string | undefined, rel: string): string[] {
    if (!header) return []
    return header
      .split(/,\s*(?=<)/)
      .map((value) => value.split(';').map((part) => part.trim()))
      .filter(([, ...params]) => params.some((param) => param === `rel="${rel}"` || param === `rel=${rel}`))
      .map(([target]) => target!.slice(1, -1))
  }

  /** A supertest parser that keeps the body as bytes, whatever its type. */
  function collectBytes(response: Response, callback: (error: Error | null, body: Buffer) => void): void {
    const chunks: Buffer[] = []
    response.on('data', (chunk: Buffer) => chunks.push(chunk))
    response.on('end', () => callback(null, Buffer.concat(chunks)))
  }
})
