import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { compareNewestFirst } from '../../src/content/catalog.js'
import { parseArticle, type Article } from '../../src/content/parse-article.js'
import { feedPath, paginate, selectArticles, type FeedPage } from '../../src/feeds/feed-model.js'
import { child, children, ns, parseXml, text } from '../helpers/parse-xml.js'
import { article, createTestSite, type TestSite, siteAddresses } from '../helpers/test-site.js'
import { atomEntries, getText, rssChannel, rssItems, type JsonFeed } from '../fixtures/read-feeds.js'

/** Article `n` of a series, published on day `n`: a higher number is newer. */
function numbered(n: number): Article {
  const day = String(n).padStart(2, '0')
  const result = parseArticle(`a${n}.md`, article({ title: `"A${n}"`, date: `2026-10-${day}T10:00:00Z` }), { language: 'fr', author: { name: 'R' } })
  if (!result.ok) throw new Error(`a${n}.md`)
  return result.article
}

/** Articles 1..total, newest first, as a catalog holds them. */
function series(total: number): Article[] {
  return Array.from({ length: total }, (_, index) => numbered(index + 1)).sort(compareNewestFirst)
}

/** The numbers of selected articles, or undefined for a page that does not exist. */
function numbersOf(selected: Article[] | undefined): number[] | undefined {
  return selected?.map((selectedArticle) => Number(selectedArticle.slug.slice(1)))
}

describe('paginate', () => {
  it.each([
    [0, 20, { archiveCount: 0, pageCount: 1 }],
    [1, 20, { archiveCount: 0, pageCount: 1 }],
    [20, 20, { archiveCount: 0, pageCount: 1 }],
    [21, 20, { archiveCount: 1, pageCount: 2 }],
    [40, 20, { archiveCount: 1, pageCount: 2 }],
    [41, 20, { archiveCount: 2, pageCount: 3 }],
    [5, 2, { archiveCount: 2, pageCount: 3 }],
    [6, 2, { archiveCount: 2, pageCount: 3 }],
    [7, 2, { archiveCount: 3, pageCount: 4 }],
    [3, 1, { archiveCount: 2, pageCount: 3 }],
  ])('paginate(%i, %i) is %o', (total, size, expected) => {
    expect(paginate(total, size)).toEqual(expected)
  })
})

describe('selectArticles', () => {
  it.each([
    // The subscription document: the newest `size`.
    [5, 2, { kind: 'current' }, [5, 4]],
    [1, 2, { kind: 'current' }, [1]],
    [0, 2, { kind: 'current' }, []],
    // RFC 5005 archives: 1 is the oldest full block, the last one may be partial.
    [5, 2, { kind: 'archive', number: 1 }, [2, 1]],
    [5, 2, { kind: 'archive', number: 2 }, [3]],
    [6, 2, { kind: 'archive', number: 2 }, [4, 3]],
    [7, 2, { kind: 'archive', number: 3 }, [5]],
    [5, 2, { kind: 'archive', number: 3 }, undefined],
    [5, 2, { kind: 'archive', number: 0 }, undefined],
    [2, 2, { kind: 'archive', number: 1 }, undefined],
    [5, 2, { kind: 'archive', number: 1.5 }, undefined],
    // JSON Feed pages: newest first, page 1 is the current document.
    [5, 2, { kind: 'page', number: 1 }, [5, 4]],
    [5, 2, { kind: 'page', number: 2 }, [3, 2]],
    [5, 2, { kind: 'page', number: 3 }, [1]],
    [5, 2, { kind: 'page', number: 4 }, undefined],
    [0, 2, { kind: 'page', number: 1 }, []],
    [5, 2, { kind: 'page', number: 0 }, undefined],
  ] satisfies Array<[number, number, FeedPage, number[] | undefined]>)('selectArticles(%i articles, %i, %o) holds %j', (total, size, page, expected) => {
    expect(numbersOf(selectArticles(series(total), size, page))).toEqual(expected)
  })

  it('puts every article in exactly one of the current document and the archives', () => {
    for (let total = 0; total <= 12; total++) {
      const articles = series(total)
      const { archiveCount } = paginate(total, 3)
      const held = [...numbersOf(selectArticles(articles, 3, { kind: 'current' }))!]
      for (let number = 1; number <= archiveCount; number++) held.push(...numbersOf(selectArticles(articles, 3, { kind: 'archive', number }))!)
      expect(held.sort((a, b) => a - b), `${total} articles`).toEqual(Array.from({ length: total }, (_, index) => index + 1))
    }
  })

  it('never changes a full archive when newer articles arrive', () => {
    const size = 3
    const seen = new Map<number, number[]>()
    for (let total = 1; total <= 20; total++) {
      const articles = series(total)
      const { archiveCount } = paginate(total, size)
      for (let number = 1; number <= archiveCount; number++) {
        const held = numbersOf(selectArticles(articles, size, { kind: 'archive', number }))!
        if (held.length < size) continue
        const before = seen.get(number)
        if (before) expect(held, `archive ${number} with ${total} articles`).toEqual(before)
        else seen.set(number, held)
      }
    }
    expect([...seen.keys()]).toEqual([1, 2, 3, 4, 5])
  })
})

describe('feedPath', () => {
  it.each([
    ['', 'rss', { kind: 'current' }, '/feed.xml'],
    ['', 'atom', { kind: 'current' }, '/atom.xml'],
    ['', 'json', { kind: 'current' }, '/feed.json'],
    ['/tags/e-commerce', 'rss', { kind: 'archive', number: 3 }, '/tags/e-commerce/archive/3/feed.xml'],
    ['', 'atom', { kind: 'archive', number: 1 }, '/archive/1/atom.xml'],
    ['', 'json', { kind: 'page', number: 1 }, '/feed.json'],
    ['/authors/ada', 'json', { kind: 'page', number: 2 }, '/authors/ada/feed.json?page=2'],
  ] satisfies Array<[string, 'rss' | 'atom' | 'json', FeedPage, string]>)('feedPath(%j, %j, %o) is %j', (prefix, format, page, path) => {
    expect(feedPath(prefix, format, page)).toBe(path)
  })
})

describe.each(siteAddresses)('RFC 5005 archives and JSON Feed pages through the app, the site $where', ({ basePath }) => {
  const baseUrl = `https://news.example${basePath}`
  const files = (total: number) => Object.fromEntries(Array.from({ length: total }, (_, index) => [`a${index + 1}.md`, article({ title: `"A${index + 1}"`, date: `2026-10-${String(index + 1).padStart(2, '0')}T10:00:00Z` })]))
  let five: TestSite
  let six: TestSite

  beforeAll(async () => {
    five = await createTestSite(files(5), { basePath, configFile: { feed: { size: 2 } } })
    six = await createTestSite(files(6), { basePath, configFile: { feed: { size: 2 } } })
  })
  afterAll(async () => {
    await five.dispose()
    await six.dispose()
  })

  /** RSS channel links by relation, and the titles of its items. */
  async function readRss(site: TestSite, path: string) {
    const document = parseXml(await getText(site.app, `${basePath}${path}`))
    const channel = rssChannel(document)
    return {
      links: Object.fromEntries(children(channel, ns.atom, 'link').map((link) => [link.getAttribute('rel'), link.getAttribute('href')])),
      complete: children(channel, ns.fh, 'complete').length,
      archive: children(channel, ns.fh, 'archive').length,
      titles: rssItems(document).map((item) => text(child(item, null, 'title'))),
    }
  }

  it('links the current RSS document to the newest archive', async () => {
    expect(await readRss(five, '/feed.xml')).toEqual({
      links: { self: `${baseUrl}/feed.xml`, 'prev-archive': `${baseUrl}/archive/2/feed.xml` },
      complete: 0,
      archive: 0,
      titles: ['A5', 'A4'],
    })
  })

  it.each([
    ['/archive/1/feed.xml', { self: `${baseUrl}/archive/1/feed.xml`, current: `${baseUrl}/feed.xml`, 'next-archive': `${baseUrl}/archive/2/feed.xml` }, ['A2', 'A1']],
    ['/archive/2/feed.xml', { self: `${baseUrl}/archive/2/feed.xml`, current: `${baseUrl}/feed.xml`, 'prev-archive': `${baseUrl}/archive/1/feed.xml` }, ['A3']],
  ])('marks %s as an archive linked to its neighbours', async (path, links, titles) => {
    expect(await readRss(five, path)).toEqual({ links, complete: 0, archive: 1, titles })
  })

  it('links Atom archives the same way', async () => {
    const document = parseXml(await getText(five.app, `${basePath}/archive/1/atom.xml`))
    const links = Object.fromEntries(children(document.documentElement!, ns.atom, 'link').map((link) => [link.getAttribute('rel'), link.getAttribute('href')]))
    expect(links).toMatchObject({ current: `${baseUrl}/atom.xml`, 'next-archive': `${baseUrl}/archive/2/atom.xml` })
    expect(children(document.documentElement!, ns.fh, 'archive')).toHaveLength(1)
    expect(atomEntries(document).map((entry) => text(child(entry, ns.atom, 'title')))).toEqual(['A2', 'A1'])
  })

  it('serves a full archive byte for byte the same after a new article arrives', async () => {
    for (const path of ['/archive/1/feed.xml', '/archive/1/atom.xml']) expect(await getText(six.app, `${basePath}${path}`), path).toBe(await getText(five.app, `${basePath}${path}`))
    // The partial archive filled up instead.
    expect((await readRss(six, '/archive/2/feed.xml')).titles).toEqual(['A4', 'A3'])
  })

  it('tells caches a full archive never changes', async () => {
    const full = await request(five.app).get(`${basePath}/archive/1/feed.xml`)
    const partial = await request(five.app).get(`${basePath}/archive/2/feed.xml`)
    const directives = (value: string) => value.split(',').map((directive) => directive.trim())
    expect(directives(full.headers['cache-control'] as string)).toContain('immutable')
    expect(directives(partial.headers['cache-control'] as string)).not.toContain('immutable')
  })

  it('answers 404 for an archive past the last one', async () => {
    expect((await request(five.app).get(`${basePath}/archive/3/feed.xml`)).status).toBe(404)
    expect((await request(five.app).get(`${basePath}/archive/0/feed.xml`)).status).toBe(404)
  })

  it('pages JSON Feed with next_url, newest first', async () => {
    const pages: Array<{ titles: string[]; next: string | undefined; feedUrl: string | undefined }> = []
    for (const path of ['/feed.json', '/feed.json?page=2', '/feed.json?page=3']) {
      const json = JSON.parse(await getText(five.app, `${basePath}${path}`)) as JsonFeed
      pages.push({ titles: json.items.map((item) => item.title), next: json.next_url, feedUrl: json.feed_url })
    }
    expect(pages).toEqual([
      { titles: ['A5', 'A4'], next: `${baseUrl}/feed.json?page=2`, feedUrl: `${baseUrl}/feed.json` },
      { titles: ['A3', 'A2'], next: `${baseUrl}/feed.json?page=3`, feedUrl: `${baseUrl}/feed.json` },
      { titles: ['A1'], next: undefined, feedUrl: `${baseUrl}/feed.json` },
    ])
  })

  it.each([
    ['/feed.json?page=4', 404],
    ['/feed.json?page=0', 400],
    ['/feed.json?page=two', 400],
    ['/feed.xml?page=2', 400],
  ])('answers GET %s with %i', async (path, status) => {
    expect((await request(five.app).get(`${basePath}${path}`)).status).toBe(status)
  })

  it('marks a feed that holds everything as complete', async () => {
    const site = await createTestSite(files(2), { basePath, configFile: { feed: { size: 2 } } })
    try {
      expect(await readRss(site, '/feed.xml')).toEqual({ links: { self: `${baseUrl}/feed.xml` }, complete: 1, archive: 0, titles: ['A2', 'A1'] })
      expect((await request(site.app).get(`${basePath}/archive/1/feed.xml`)).status).toBe(404)
    } finally {
      await site.dispose()
    }
  })
})
