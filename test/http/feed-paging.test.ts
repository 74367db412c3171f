import type { Element } from '@xmldom/xmldom'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { child, children, ns, parseXml, text } from '../helpers/parse-xml.js'
import { article, createTestSite, type TestSite, siteAddresses } from '../helpers/test-site.js'

// A reader that subscribes late must be able to reach every article: RSS and Atom by
// following RFC 5005 prev-archive links from the current feed, JSON Feed by next_url.
// Each article must be met exactly once, newest to oldest, whatever the scope.


describe.each(siteAddresses)('the site $where', ({ basePath }) => {
  const baseUrl = `https://news.example${basePath}`
  let site: TestSite
  beforeAll(async () => {
    // Articles 1 (oldest) to 7 (newest), two per feed. "É-commerce" and "e-commerce" are
    // one tag; Jeanne Dupont wrote five articles, the site's default author the others.
    const authors: Record<number, string> = { 2: 'Jeanne Dupont', 4: 'Jeanne Dupont', 5: 'Jeanne Dupont', 6: 'Jeanne Dupont', 7: 'Jeanne Dupont' }
    const tags: Record<number, string> = { 3: '[e-commerce]', 6: '[É-commerce]' }
    const files: Record<string, string> = {}
    for (let day = 1; day <= 7; day++) {
      files[`article-${day}.md`] = article({
        title: `"Article ${day}"`,
        // Offsets differ so order follows the instant, not the written clock time.
        date: `2026-11-0${day}T${day % 2 === 0 ? '20:00:00-03:00' : '10:00:00+09:00'}`,
        ...(authors[day] ? { author: authors[day] } : {}),
        tags: tags[day] ?? '[France]',
      })
    }
    site = await createTestSite(files, { basePath, configFile: { feed: { size: 2 } } })
  })
  afterAll(() => site.dispose())

  /** Article URLs of these days, in the order given. */
  function urlsOf(days: number[]): string[] {
    return days.map((day) => `${baseUrl}/articles/article-${day}`)
  }

  const scopes: Array<[string, number[]]> = [
    ['', [7, 6, 5, 4, 3, 2, 1]],
    ['/authors/jeanne-dupont', [7, 6, 5, 4, 2]],
    ['/tags/france', [7, 5, 4, 2, 1]],
    ['/tags/e-commerce', [6, 3]],
    ['/authors/la-redaction', [3, 1]],
  ]

  /** What a reader reads from one RSS or Atom document to walk its archives. */
  interface XmlFeedPage {
    self: string | undefined
    current: string | undefined
    prevArchive: string | undefined
    nextArchive: string | undefined
    complete: boolean
    archive: boolean
    ids: string[]
  }

  /** Read the paging of an RSS channel or an Atom feed. */
  function readXmlFeedPage(body: string): XmlFeedPage {
    const root = parseXml(body).documentElement!
    const container = root.localName === 'rss' ? child(root, null, 'channel') : root
    const links = children(container, ns.atom, 'link')
    const href = (rel: string) => {
      const found = links.filter((link) => link.getAttribute('rel') === rel).map((link) => link.getAttribute('href')!)
      expect(found.length, `links with rel="${rel}"`).toBeLessThanOrEqual(1)
      return found[0]
    }
    const ids =
      root.localName === 'rss'
        ? children(container, null, 'item').map((item) => text(child(item, null, 'guid')))
        : children(container, ns.atom, 'entry').map((entry: Element) => text(child(entry, ns.atom, 'id')))
    return {
      self: href('self'),
      current: href('current'),
      prevArchive: href('prev-archive'),
      nextArchive: href('next-archive'),
      complete: children(container, ns.fh, 'complete').length > 0,
      archive: children(container, ns.fh, 'archive').length > 0,
      ids,
    }
  }

  /** GET an absolute URL of the site through the app, expecting 200. */
  async function getUrl(url: string): Promise<string> {
    expect(url.startsWith(`${baseUrl}/`), `${url} is absolute on the site`).toBe(true)
    const response = await request(site.app).get(url.slice('https://news.example'.length))
    expect(response.status, `GET ${url}`).toBe(200)
    return response.text
  }

  describe.each(scopes)('the scope "%s"', (prefix, days) => {
    const fitsOneFeed = days.length <= 2

    it.each(['feed.xml', 'atom.xml'])('%s and its prev-archive chain hold every article once, newest first', async (file) => {
      const currentUrl = `${baseUrl}${prefix}/${file}`
      const current = readXmlFeedPage(await getUrl(currentUrl))
      expect(current.self).toBe(currentUrl)
      expect(current.archive).toBe(false)
      expect(current.nextArchive).toBeUndefined()
      // fh:complete promises that the document holds every article: only when they fit.
      expect(current.complete).toBe(fitsOneFeed)
      expect(current.prevArchive === undefined).toBe(fitsOneFeed)

      const seen = [...current.ids]
      let newer = current
      let next = current.prevArchive
      for (let hops = 0; next !== undefined; hops++) {
        expect(hops, 'archives hops').toBeLessThan(10)
        const page = readXmlFeedPage(await getUrl(next))
        expect(page.self).toBe(next)
        expect(page.archive).toBe(true)
        expect(page.complete).toBe(false)
        expect(page.current).toBe(currentUrl)
        // The newest archive leads on to the current feed only through rel="current".
        expect(page.nextArchive).toBe(newer === current ? undefined : newer.self)
        seen.push(...page.ids)
        newer = page
        next = page.prevArchive
      }
      expect(seen).toEqual(urlsOf(days))
    })

    it('feed.json and its next_url chain hold every article once, newest first', async () => {
      const seen: string[] = []
      let next: string | undefined = `${baseUrl}${prefix}/feed.json`
      for (let hops = 0; next !== undefined; hops++) {
        expect(hops, 'page hops').toBeLessThan(10)
        const page = JSON.parse(await getUrl(next)) as { next_url?: string; items: Array<{ id: string }> }
        seen.push(...page.items.map((item) => item.id))
        next = page.next_url
      }
      expect(seen).toEqual(urlsOf(days))
    })
  })

  describe('topics', () => {
    it('"É-commerce" and "e-commerce" are one tag, at /tags/e-commerce', async () => {
      const rss = readXmlFeedPage(await getUrl(`${baseUrl}/tags/e-commerce/feed.xml`))
      expect(rss.ids).toEqual(urlsOf([6, 3]))
      const json = JSON.parse(await getUrl(`${baseUrl}/tags/e-commerce/feed.json`)) as { title: string; items: Array<{ id: string; tags?: string[] }> }
      expect(json.items.map((item) => item.id)).toEqual(urlsOf([6, 3]))
      expect(json.items.map((item) => item.tags)).toEqual([['É-commerce'], ['e-commerce']])
    })

    it.each([
      '/tags/nope/feed.xml',
      '/tags/nope/atom.xml',
      '/tags/nope/feed.json',
      '/tags/nope/archive/1/feed.xml',
      '/authors/nope/feed.xml',
      '/authors/nope/archive/1/atom.xml',
      // "É-commerce" is reached by its slug only.
      '/tags/%C3%89-commerce/feed.xml',
      // Past the last archive or page.
      '/archive/4/feed.xml',
      '/archive/4/atom.xml',
      '/feed.json?page=5',
      '/tags/e-commerce/archive/1/feed.xml',
      '/authors/jeanne-dupont/archive/3/atom.xml',
      '/authors/jeanne-dupont/feed.json?page=4',
    ])('GET %s answers 404', async (path) => {
      expect((await request(site.app).get(`${basePath}${path}`)).status).toBe(404)
    })
  })
})
