import type { Document } from '@xmldom/xmldom'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listDocumentPaths } from '../../src/site/site-documents.js'
import { elements, parseHtml, visibleText } from '../fixtures/parse-html.js'
import { article, createTestSite, type TestSite } from '../helpers/test-site.js'

// Five articles, two a page: pages of 2, 2 and 1; the tag holds the three odd ones.
const files = Object.fromEntries(
  [1, 2, 3, 4, 5].map((day) => [`day-${day}.md`, article({ title: `"Jour ${day}"`, date: `2026-11-0${day}T10:00:00Z`, ...(day % 2 === 1 ? { tags: '[Impair]' } : {}) })]),
)

function titlesOf(page: Document): string[] {
  return elements(page, 'h2').map(visibleText)
}

function linkOf(page: Document, rel: string): string | null {
  return elements(page, 'link').find((link) => link.getAttribute('rel') === rel)?.getAttribute('href') ?? null
}

describe('list pages for older articles', () => {
  let site: TestSite
  beforeAll(async () => (site = await createTestSite(files, { configFile: { feed: { size: 2 } } })))
  afterAll(() => site.dispose())

  async function pageAt(path: string): Promise<Document> {
    const response = await request(site.app).get(path)
    expect(response.status, path).toBe(200)
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8')
    return parseHtml(response.text)
  }

  it.each([
    { path: '/', titles: ['Jour 5', 'Jour 4'], prev: null, next: 'https://news.example/page/2' },
    { path: '/page/2', titles: ['Jour 3', 'Jour 2'], prev: 'https://news.example/', next: 'https://news.example/page/3' },
    { path: '/page/3', titles: ['Jour 1'], prev: 'https://news.example/page/2', next: null },
    { path: '/tags/impair', titles: ['Jour 5', 'Jour 3'], prev: null, next: 'https://news.example/tags/impair/page/2' },
    { path: '/tags/impair/page/2', titles: ['Jour 1'], prev: 'https://news.example/tags/impair', next: null },
  ])('GET $path lists $titles, linked to rel="prev" $prev and rel="next" $next', async ({ path, titles, prev, next }) => {
    const page = await pageAt(path)
    expect(titlesOf(page)).toEqual(titles)
    expect([linkOf(page, 'prev'), linkOf(page, 'next')]).toEqual([prev, next])
    const nav = elements(page, 'nav').filter((element) => element.getAttribute('class') === 'pages')
    expect(elements(nav[0]!, 'a').map((link) => [link.getAttribute('rel'), link.getAttribute('href')])).toEqual([
      ...(prev ? [['prev', prev]] : []),
      ...(next ? [['next', next]] : []),
    ])
    expect(linkOf(page, 'canonical')).toBe(`https://news.example${path}`)
  })

  it('numbers the articles of a later page where the previous page ended', async () => {
    const [list] = elements(await pageAt('/page/2'), 'ol')
    expect(list!.getAttribute('start')).toBe('3')
  })

  it.each(['/page/1', '/page/4', '/page/0', '/tags/impair/page/3', '/page/2/extra'])('GET %s answers 404', async (path) => {
    expect((await request(site.app).get(path)).status).toBe(404)
  })

  it('lists every page for the static export', () => {
    const paths = listDocumentPaths({ config: site.config, catalog: site.store.catalog, renderer: site.renderer })
    expect(paths.filter((path) => path.includes('/page/'))).toEqual(['/page/2', '/page/3', '/tags/impair/page/2', '/authors/la-redaction/page/2', '/authors/la-redaction/page/3'])
  })
})
