import type { Document } from '@xmldom/xmldom'
import request from 'supertest'
import type { Response } from 'superagent'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseXml } from '../helpers/parse-xml.js'
import { article, createTestSite, type TestSite, siteAddresses } from '../helpers/test-site.js'

// What a client learns before reading a byte: the status and the media type. Feed readers
// pick their parser from Content-Type, so the types are asserted exactly (RFC 9110 §8.3).

const leadSvg = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="3"><rect width="4" height="3"/></svg>\n'
// The 8-byte PNG signature: enough for a file to be served as a picture.
const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

describe.each(siteAddresses)('the site $where', ({ basePath }) => {
  let site: TestSite
  beforeAll(async () => {
    site = await createTestSite({
      'ratatouille.md': article(
        {
          title: '"Opération « Ratatouille »"',
          date: '2026-11-26T09:00:00+01:00',
          author: 'Jeanne Dupont',
          tags: '[Amazon, É-commerce]',
          image: '{ src: images/lead.svg, alt: "Des colis", credit: Shutterstock }',
        },
        'Un paragraphe.\n',
      ),
      'broken.md': article({ date: '"hier"' }),
      'images/lead.svg': leadSvg,
      'images/photo.png': pngSignature,
    }, { basePath })
  })
  afterAll(() => site.dispose())

  describe('media types', () => {
    it.each([
      ['/feed.xml', 'application/rss+xml; charset=utf-8'],
      ['/atom.xml', 'application/atom+xml; charset=utf-8'],
      ['/feed.json', 'application/feed+json; charset=utf-8'],
      ['/tags/e-commerce/feed.xml', 'application/rss+xml; charset=utf-8'],
      ['/tags/e-commerce/atom.xml', 'application/atom+xml; charset=utf-8'],
      ['/tags/e-commerce/feed.json', 'application/feed+json; charset=utf-8'],
      ['/authors/jeanne-dupont/feed.xml', 'application/rss+xml; charset=utf-8'],
      ['/authors/jeanne-dupont/atom.xml', 'application/atom+xml; charset=utf-8'],
      ['/authors/jeanne-dupont/feed.json', 'application/feed+json; charset=utf-8'],
      ['/', 'text/html; charset=utf-8'],
      ['/articles/ratatouille', 'text/html; charset=utf-8'],
      ['/tags/e-commerce', 'text/html; charset=utf-8'],
      ['/authors/jeanne-dupont', 'text/html; charset=utf-8'],
      ['/about', 'text/html; charset=utf-8'],
      ['/feed.css', 'text/css; charset=utf-8'],
      ['/style.css', 'text/css; charset=utf-8'],
      ['/healthz', 'text/plain; charset=utf-8'],
      ['/status', 'application/json; charset=utf-8'],
    ])('GET %s answers 200 with Content-Type %s', async (path, mediaType) => {
      const response = await request(site.app).get(`${basePath}${path}`)
      expect(response.status).toBe(200)
      expect(response.headers['content-type']).toBe(mediaType)
    })

    // A feed reader names the feed's own type, or nothing; either way it gets that type.
    it.each([
      ['/feed.xml', 'application/rss+xml', 'application/rss+xml; charset=utf-8'],
      ['/feed.xml', '*/*', 'application/rss+xml; charset=utf-8'],
      ['/atom.xml', 'application/atom+xml', 'application/atom+xml; charset=utf-8'],
      ['/atom.xml', '*/*', 'application/atom+xml; charset=utf-8'],
    ])('GET %s with Accept: %s answers %s', async (path, accept, mediaType) => {
      const response = await request(site.app).get(`${basePath}${path}`).set('Accept', accept)
      expect(response.headers['content-type']).toBe(mediaType)
    })

    // RSS and Atom go to browsers as application/xml, so their type depends on Accept too.
    it.each([
      ['/feed.xml', ['accept', 'accept-encoding']],
      ['/atom.xml', ['accept', 'accept-encoding']],
      ['/tags/e-commerce/feed.xml', ['accept', 'accept-encoding']],
      ['/feed.json', ['accept-encoding']],
    ])('GET %s answers Vary: %j', async (path, vary) => {
      const response = await request(site.app).get(`${basePath}${path}`)
      expect(listHeader(response.headers.vary as string)).toEqual(vary)
    })

    // Media are served as the files they are; the type comes from the extension.
    it.each([
      ['/media/images/lead.svg', 'image/svg+xml', leadSvg],
      ['/media/images/photo.png', 'image/png', pngSignature],
    ])('GET %s answers 200 with the type %s and the file as is', async (path, essence, file) => {
      const response = await request(site.app).get(`${basePath}${path}`).set('Accept-Encoding', 'identity').buffer(true).parse(collectBytes)
      expect(response.status).toBe(200)
      expect(String(response.headers['content-type']).split(';')[0]).toBe(essence)
      expect(response.body).toEqual(Buffer.from(file))
    })
  })

  describe('service endpoints', () => {
    it('GET /healthz answers 200 ok and is never cached', async () => {
      const response = await request(site.app).get(`${basePath}/healthz`)
      expect(response.status).toBe(200)
      expect(response.text).toBe('ok\n')
      expect(response.headers['cache-control']).toBe('no-store')
    })

    it('GET /status names the catalog version and each broken file with its field and message', async () => {
      const response = await request(site.app).get(`${basePath}/status`)
      expect(response.status).toBe(200)
      expect(response.headers['cache-control']).toBe('no-store')
      const status = JSON.parse(response.text) as { version: unknown; articles: unknown; problems: Array<Record<string, unknown>> }
      expect(status.version).toEqual(site.store.catalog.version)
      expect(status.version).toMatch(/^[0-9a-f]{16}$/)
      expect(status.articles).toBe(1)
      expect(status.problems).toContainEqual(expect.objectContaining({ file: 'broken.md', field: 'date', message: expect.stringContaining('"hier"') }))
    })
  })

  describe('errors', () => {
    it.each([
      '/articles/nope',
      '/articles/ratatouille/extra',
      '/tags/nope',
      '/tags/nope/feed.xml',
      '/tags/nope/atom.xml',
      '/tags/nope/feed.json',
      '/authors/nope',
      '/authors/nope/feed.xml',
      '/authors/nope/feed.json',
      // One article fits the current feed, so there is no archive at all.
      '/archive/1/feed.xml',
      '/archive/1/atom.xml',
      '/archive/0/feed.xml',
      '/archive/01/feed.xml',
      '/tags/e-commerce/archive/1/atom.xml',
      // JSON Feed is paged with next_url, not archived.
      '/archive/1/feed.json',
      '/feed.json?page=2',
      '/media/images/nope.svg',
      // Markdown sources are published as pages, not as media.
      '/media/ratatouille.md',
      '/nope',
    ])('GET %s answers 404', async (path) => {
      const response = await request(site.app).get(`${basePath}${path}`)
      expect(response.status).toBe(404)
    })

    it.each(['/feed.json?page=abc', '/feed.json?page=0', '/feed.json?page=-1', '/feed.json?page=1.5', '/feed.json?page=', '/feed.json?page=2&page=3', '/tags/e-commerce/feed.json?page=abc'])(
      'GET %s answers 400 with a JSON error',
      async (path) => {
        const response = await request(site.app).get(`${basePath}${path}`)
        expect(response.status).toBe(400)
        expect(response.headers['content-type']).toBe('application/json; charset=utf-8')
        expect(JSON.parse(response.text)).toEqual({ error: { status: 400, message: expect.stringContaining('page') } })
      },
    )

    it('GET /feed.json?page=99 answers 404 as JSON, since JSON clients read the error', async () => {
      const response = await request(site.app).get(`${basePath}/feed.json?page=99`)
      expect(response.status).toBe(404)
      expect(JSON.parse(response.text)).toEqual({ error: { status: 404, message: `nothing is published at ${basePath}/feed.json?page=99` } })
    })

    it('GET /feed.xml?page=2 answers 400: RSS and Atom are archived, not paged', async () => {
      const response = await request(site.app).get(`${basePath}/feed.xml?page=2`)
      expect(response.status).toBe(400)
    })

    // A request line the server cannot decode is the client's error (RFC 9110 §15.5.1), not ours.
    it.each(['/articles/%E0%A4%A', '/media/%ZZ', '/tags/%C0/feed.xml'])('GET %s (malformed percent-encoding) answers 400', async (path) => {
      const response = await request(site.app).get(`${basePath}${path}`)
      expect(response.status).toBe(400)
    })
  })

  describe('feed stylesheet', () => {
    // The xml-stylesheet processing instruction makes a feed readable when a browser opens it.
    it.each(['/feed.xml', '/atom.xml', '/tags/e-commerce/feed.xml', '/authors/jeanne-dupont/atom.xml'])(
      'GET %s carries <?xml-stylesheet type="text/css" href=".../feed.css"?> before the root',
      async (path) => {
        const response = await request(site.app).get(`${basePath}${path}`)
        const stylesheets = stylesheetInstructions(parseXml(response.text))
        expect(stylesheets).toEqual([{ type: 'text/css', href: `https://news.example${basePath}/feed.css` }])
      },
    )

    it('the stylesheet it names is served as text/css', async () => {
      const feed = await request(site.app).get(`${basePath}/feed.xml`)
      const [stylesheet] = stylesheetInstructions(parseXml(feed.text))
      const css = await request(site.app).get(new URL(stylesheet!.href!).pathname)
      expect(css.status).toBe(200)
      expect(css.headers['content-type']).toBe('text/css; charset=utf-8')
      expect(css.text.length).toBeGreaterThan(0)
    })
  })

  /** Pseudo-attributes of each xml-stylesheet instruction in the prolog. */
  function stylesheetInstructions(document: Document): Array<Record<string, string | undefined>> {
    const found: Array<Record<string, string | undefined>> = []
    for (let node = document.firstChild; node && node !== document.documentElement; node = node.nextSibling) {
      if (node.nodeType !== 7 || node.nodeName !== 'xml-stylesheet') continue
      // Pseudo-attributes have the syntax of attributes, so the XML parser reads them.
      const holder = parseXml(`<pi ${(node as unknown as { data: string }).data}/>`).documentElement!
      found.push({ type: holder.getAttribute('type') ?? undefined, href: holder.getAttribute('href') ?? undefined })
    }
    return found
  }

  /** A supertest parser that keeps the body as bytes, whatever its type. */
  function collectBytes(response: Response, callback: (error: Error | null, body: Buffer) => void): void {
    const chunks: Buffer[] = []
    response.on('data', (chunk: Buffer) => chunks.push(chunk))
    response.on('end', () => callback(null, Buffer.concat(chunks)))
  }

  describe('answers that are not documents', () => {
    let site: TestSite
    beforeAll(async () => {
      site = await createTestSite({ 'a.md': article() }, { basePath })
    })
    afterAll(() => site.dispose())

    it.each(['POST', 'PUT', 'DELETE', 'PATCH'] as const)('%s /feed.xml is 405 with Allow: GET, HEAD', async (method) => {
      const response = await request(site.app)[method.toLowerCase() as 'post'](`${basePath}/feed.xml`)
      expect(response.status).toBe(405)
      expect(response.headers.allow).toBe('GET, HEAD')
    })

    it.each(['/articles/missing', '/feed.json?page=abc'])('GET %s is an error that no cache keeps', async (path) => {
      const response = await request(site.app).get(`${basePath}${path}`)
      expect(response.status).toBeGreaterThanOrEqual(400)
      expect(response.headers['cache-control']).toBe('no-store')
      // Negotiated on Accept (JSON or text), so a cache must key on it.
      expect(listHeader(response.headers.vary as string)).toContain('accept')
    })
  })

  /** A list header as its lowercase items: `Accept-Encoding` is not `Accept`. */
  function listHeader(value: string | undefined): string[] {
    return (value ?? '').split(',').map((item) => item.trim().toLowerCase())
  }
})
