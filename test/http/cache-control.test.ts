import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { article, createTestSite, type TestSite, siteAddresses } from '../helpers/test-site.js'

// How long caches may keep each response (RFC 9111 §5.2, RFC 5861, RFC 8246): feeds and
// pages for the configured max-age and stale-while-revalidate; pictures and full RFC 5005
// archives for a year as immutable; the newest archive, which still fills up, like a feed.

const leadSvg = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="3"><rect width="4" height="3"/></svg>\n'

/** Seven articles, the four oldest tagged "Archivé"; one picture. */
function sevenArticles(): Record<string, string> {
  const files: Record<string, string> = { 'images/lead.svg': leadSvg }
  for (let day = 1; day <= 7; day++) {
    files[`article-${day}.md`] = article({
      title: `"Article ${day}"`,
      date: `2026-11-0${day}T10:00:00+01:00`,
      tags: day <= 4 ? '[Archivé]' : '[]',
      ...(day === 7 ? { image: '{ src: images/lead.svg, alt: "Des colis", credit: Shutterstock }' } : {}),
    })
  }
  return files
}

/** Directives of a Cache-Control value: name → argument (`true` when it has none). */
function parseCacheControl(value: string | undefined): Record<string, string | true> {
  const directives: Record<string, string | true> = {}
  for (const part of (value ?? '').split(',')) {
    const [name, argument] = part.trim().split('=')
    if (name) directives[name.toLowerCase()] = argument === undefined ? true : argument.replace(/^"|"$/g, '')
  }
  return directives
}

const revalidated = [
  '/feed.xml',
  '/atom.xml',
  '/feed.json',
  '/feed.json?page=2',
  '/tags/archive/feed.xml',
  '/tags/archive/feed.json',
  '/authors/la-redaction/atom.xml',
  '/',
  '/articles/article-7',
  '/tags/archive',
  '/authors/la-redaction',
  '/about',
  '/feed.css',
  // Size 2 and seven articles: archive 3 holds one article and takes the next one.
  '/archive/3/feed.xml',
  '/archive/3/atom.xml',
]

const immutable = [
  '/media/images/lead.svg',
  '/archive/1/feed.xml',
  '/archive/1/atom.xml',
  '/archive/2/feed.xml',
  '/archive/2/atom.xml',
  // The tag's only archive is full, newest or not: what is in it never moves.
  '/tags/archive/archive/1/feed.xml',
  '/tags/archive/archive/1/atom.xml',
]

describe.each(siteAddresses)('the site $where', ({ basePath }) => {
  describe('with the default configuration (feed.size 2)', () => {
    let site: TestSite
    beforeAll(async () => {
      site = await createTestSite(sevenArticles(), { basePath, configFile: { feed: { size: 2 } } })
    })
    afterAll(() => site.dispose())

    it.each(revalidated)('GET %s is public for 300 s, stale while revalidating for a day', async (path) => {
      const response = await request(site.app).get(`${basePath}${path}`)
      expect(response.status).toBe(200)
      expect(parseCacheControl(response.headers['cache-control'])).toEqual({ public: true, 'max-age': '300', 'stale-while-revalidate': '86400' })
    })

    it.each(immutable)('GET %s is public, immutable, for a year', async (path) => {
      const response = await request(site.app).get(`${basePath}${path}`)
      expect(response.status).toBe(200)
      expect(parseCacheControl(response.headers['cache-control'])).toEqual({ public: true, 'max-age': '31536000', immutable: true })
    })

    it('a 304 carries the Cache-Control of its 200', async () => {
      const full = await request(site.app).get(`${basePath}/archive/1/atom.xml`)
      const notModified = await request(site.app).get(`${basePath}/archive/1/atom.xml`).set('If-None-Match', full.headers.etag as string)
      expect(notModified.status).toBe(304)
      expect(notModified.headers['cache-control']).toBe(full.headers['cache-control'])
    })
  })

  describe('with http { maxAge: 60, staleWhileRevalidate: 600 }', () => {
    let site: TestSite
    beforeAll(async () => {
      site = await createTestSite(sevenArticles(), { basePath, configFile: { feed: { size: 2 }, http: { maxAge: 60, staleWhileRevalidate: 600 } } })
    })
    afterAll(() => site.dispose())

    it.each(revalidated)('GET %s is public for 60 s, stale while revalidating for 600 s', async (path) => {
      const response = await request(site.app).get(`${basePath}${path}`)
      expect(parseCacheControl(response.headers['cache-control'])).toEqual({ public: true, 'max-age': '60', 'stale-while-revalidate': '600' })
    })

    it.each(immutable)('GET %s is still immutable for a year', async (path) => {
      const response = await request(site.app).get(`${basePath}${path}`)
      expect(parseCacheControl(response.headers['cache-control'])).toEqual({ public: true, 'max-age': '31536000', immutable: true })
    })
  })

  describe('cross-origin reads of JSON Feed', () => {
    let site: TestSite
    beforeAll(async () => {
      site = await createTestSite(sevenArticles(), { basePath, configFile: { feed: { size: 2 } } })
    })
    afterAll(() => site.dispose())

    // A script on another site may read the JSON Feed, its errors and its validators.
    it.each([
      ['/feed.json', 200],
      ['/feed.json?page=2', 200],
      ['/tags/archive/feed.json', 200],
      ['/authors/la-redaction/feed.json', 200],
      ['/feed.json?page=99', 404],
      ['/feed.json?page=abc', 400],
    ])('GET %s answers %i with Access-Control-Allow-Origin: *', async (path, status) => {
      const response = await request(site.app).get(`${basePath}${path}`).set('Origin', 'https://reader.example')
      expect(response.status).toBe(status)
      expect(response.headers['access-control-allow-origin']).toBe('*')
    })

    it('a 304 of the JSON Feed also allows any origin and exposes the validators', async () => {
      const full = await request(site.app).get(`${basePath}/feed.json`)
      const notModified = await request(site.app).get(`${basePath}/feed.json`).set('Origin', 'https://reader.example').set('If-None-Match', full.headers.etag as string)
      expect(notModified.status).toBe(304)
      expect(notModified.headers['access-control-allow-origin']).toBe('*')
      const exposed = String(notModified.headers['access-control-expose-headers']).split(',').map((name) => name.trim().toLowerCase())
      expect(exposed).toEqual(expect.arrayContaining(['etag', 'last-modified']))
    })

    it('a preflight for a conditional GET is allowed', async () => {
      const response = await request(site.app)
        .options(`${basePath}/feed.json`)
        .set('Origin', 'https://reader.example')
        .set('Access-Control-Request-Method', 'GET')
        .set('Access-Control-Request-Headers', 'if-none-match')
      expect(response.status).toBeLessThan(300)
      expect(response.headers['access-control-allow-origin']).toBe('*')
      expect(String(response.headers['access-control-allow-methods']).split(',')).toContain('GET')
      expect(String(response.headers['access-control-allow-headers']).toLowerCase().split(',')).toContain('if-none-match')
    })
  })
})
