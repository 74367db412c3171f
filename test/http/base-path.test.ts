import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { stripBasePath } from '../../src/http/base-path.js'
import { createRequestListener } from '../../src/http/create-app.js'
import { findLinks } from '../helpers/find-links.js'
import { article, createTestSite, type TestSite } from '../helpers/test-site.js'

describe('stripBasePath', () => {
  it.each([
    ['/news/feed.xml', '/news', '/feed.xml'],
    ['/news', '/news', '/'],
    ['/news/', '/news', '/'],
    ['/news?page=2', '/news', '/?page=2'],
    ['/newsletter', '/news', undefined],
    ['/feed.xml', '/news', undefined],
    ['/feed.xml', '', '/feed.xml'],
  ])('stripBasePath(%j, %j) is %j', (url, basePath, expected) => {
    expect(stripBasePath(url, basePath)).toBe(expected)
  })
})

// The whole site under a path, through the server's own listener (its cache fast path first).
describe.each([{ basePath: '' }, { basePath: '/news' }])('the site at "$basePath/"', ({ basePath }) => {
  let site: TestSite
  let server: Server
  let origin: string
  let base: string

  beforeAll(async () => {
    const files: Record<string, string> = { 'images/box.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>\n' }
    for (let day = 1; day <= 5; day++) {
      files[`article-${day}.md`] = article(
        { title: `"Article ${day}"`, date: `2026-11-0${day}T10:00:00Z`, tags: '[Économie]', image: '{ src: images/box.svg, alt: "A box", credit: "Ada" }', ...(day === 1 ? { aliases: '[premier]' } : {}) },
        `See [the first one](/articles/article-1) and [the list](../tags/economie).\n\n![A box](/media/images/box.svg "© Ada")\n`,
      )
    }
    site = await createTestSite(files, { env: { BASE_URL: `http://127.0.0.1:1${basePath}`, FEED_SIZE: '2' } })
    server = createServer(createRequestListener(site.app))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    base = `${origin}${basePath}`
  })

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve))
    await site.dispose()
  })

  /** A path of the site, fetched from the test server: the configured origin is a placeholder. */
  function fetchSite(url: string, init?: RequestInit): Promise<Response> {
    return fetch(url.replace(site.config.baseUrl, base), init)
  }

  it('answers 200 for every URL that a feed or page links to, and each stays under the site', async () => {
    const seen = new Set<string>()
    const queue = ['/', '/feed.xml', '/atom.xml', '/feed.json'].map((urlPath) => `${site.config.baseUrl}${urlPath}`)
    while (queue.length > 0) {
      const url = queue.shift()!.replace(/#.*$/, '')
      if (seen.has(url)) continue
      seen.add(url)
      const response = await fetchSite(url)
      expect(response.status, url).toBe(200)
      const links = findLinks(await response.text(), response.headers.get('content-type') ?? '', 'http://127.0.0.1:1')
      expect(links.filter((link) => link !== site.config.baseUrl && !link.startsWith(`${site.config.baseUrl}/`)), url).toEqual([])
      for (const value of (response.headers.get('link') ?? '').matchAll(/<([^>]+)>/g)) expect(value[1]!.startsWith(`${site.config.baseUrl}/`), value[1]).toBe(true)
      queue.push(...links)
    }
    expect([...seen].map((url) => url.slice(site.config.baseUrl.length))).toEqual(
      expect.arrayContaining(['/articles/article-1', '/tags/economie', '/page/2', '/feed.json?page=2', '/archive/1/atom.xml', '/media/images/box.svg']),
    )
  })

  it('answers a poll from its cache with 304, under its path', async () => {
    const first = await fetchSite(`${site.config.baseUrl}/feed.xml`)
    const again = await fetchSite(`${site.config.baseUrl}/feed.xml`, { headers: { 'If-None-Match': first.headers.get('etag') ?? '' } })
    expect(again.status).toBe(304)
  })

  it('moves an alias to the article under its path', async () => {
    const moved = await fetchSite(`${site.config.baseUrl}/articles/premier`, { redirect: 'manual' })
    expect([moved.status, moved.headers.get('location')]).toEqual([301, `${site.config.baseUrl}/articles/article-1`])
  })

  it.skipIf(basePath === '')('answers 404, naming the site’s path, for a path outside it', async () => {
    const response = await fetch(`${origin}/feed.xml`, { headers: { Accept: 'application/json' } })
    expect(response.status).toBe(404)
    expect(await response.json()).toEqual({ error: { status: 404, message: 'nothing is published at /feed.xml; this site is under /news/' } })
  })
})
