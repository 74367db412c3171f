import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRequestListener } from '../../src/http/create-app.js'
import { listDocumentPaths } from '../../src/site/site-documents.js'
import { article, createTestSite, type TestSite } from '../helpers/test-site.js'

interface Answer {
  status: number
  headers: IncomingHttpHeaders
  body: Buffer
}

/** Send one raw request (no decompression, no redirects) and collect the answer. */
function send(origin: string, method: string, path: string, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${origin}${path}`, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }))
    })
    req.on('error', reject)
    req.end()
  })
}

/** Headers that depend on the connection or the clock, not on the answer. */
function comparable(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const { date: _date, connection: _connection, 'keep-alive': _keepAlive, ...rest } = headers
  return rest
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

describe('the cache-only fast path', () => {
  let site: TestSite
  let withFastPath: Server
  let expressOnly: Server
  let fast: string
  let slow: string
  let hits = 0

  beforeAll(async () => {
    site = await createTestSite({
      'a.md': article({ title: '"A & B"', tags: '[Commerce]' }, 'Un paragraphe assez long pour valoir une compression, '.repeat(20)),
      'b.md': article({ title: '"B"', date: '2026-11-21T10:00:00+01:00' }),
    })
    const listener = createRequestListener(site.app)
    // Count the answers the fast path gives, around the very listener the server uses.
    withFastPath = createServer((req, res) => {
      const cached = site.app.serveFromCache(req, res)
      if (cached) hits++
      else listener(req, res)
    })
    expressOnly = createServer(site.app)
    fast = await listen(withFastPath)
    slow = await listen(expressOnly)
  })

  afterAll(async () => {
    await Promise.all([withFastPath, expressOnly].map((server) => new Promise((resolve) => server.close(resolve))))
    await site.dispose()
  })

  const browser = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'
  const cases: Array<[string, string, Record<string, string>]> = []
  for (const path of ['/feed.xml', '/atom.xml', '/feed.json', '/articles/a', '/', '/tags/commerce/feed.xml']) {
    for (const headers of [{}, { 'accept-encoding': 'br' }, { 'accept-encoding': 'gzip, deflate' }, { accept: browser }, { 'if-modified-since': 'Fri, 01 Jan 2100 00:00:00 GMT' }] as Array<Record<string, string>>) {
      cases.push(['GET', path, headers])
    }
    cases.push(['HEAD', path, { 'accept-encoding': 'br' }])
  }

  it.each(cases)('%s %s %j answers exactly as Express does', async (method, path, headers) => {
    await send(fast, 'GET', path, {}) // the first request builds the representation through Express
    const before = hits
    const [viaFastPath, viaExpress] = await Promise.all([send(fast, method, path, headers), send(slow, method, path, headers)])
    expect(hits).toBe(before + 1)
    expect(viaFastPath.status).toBe(viaExpress.status)
    expect(comparable(viaFastPath.headers)).toEqual(comparable(viaExpress.headers))
    expect(viaFastPath.body.equals(viaExpress.body)).toBe(true)
  })

  it('answers a matching If-None-Match with 304 from the cache', async () => {
    const { headers } = await send(fast, 'GET', '/feed.xml', {})
    const before = hits
    const answer = await send(fast, 'GET', '/feed.xml', { 'if-none-match': String(headers.etag) })
    expect(answer.status).toBe(304)
    expect(answer.body.length).toBe(0)
    expect(hits).toBe(before + 1)
  })

  it('serves every path the site publishes from the cache once it was asked for', async () => {
    const paths = listDocumentPaths({ config: site.config, catalog: site.store.catalog, renderer: site.renderer }).filter((path) => !path.includes('?'))
    expect(paths).toEqual(expect.arrayContaining(['/feed.xml', '/articles/a', '/tags/commerce/atom.xml', '/authors/la-redaction/feed.json']))
    for (const path of paths) {
      await send(fast, 'GET', path, {})
      const before = hits
      expect((await send(fast, 'GET', path, {})).status, path).toBe(200)
      expect(hits, path).toBe(before + 1)
    }
  })

  it.each(['/articles/%61', '/tags/Commerce/feed.xml', '/articles/missing'])('does not keep GET %s, another spelling or an unknown path', async (path) => {
    await send(fast, 'GET', path, {})
    const before = hits
    await send(fast, 'GET', path, {})
    expect(hits).toBe(before)
  })

  it.each([
    ['GET', '/feed.json?page=1'],
    ['GET', '/articles/missing'],
    ['GET', '/media/nothing.png'],
    ['POST', '/feed.xml'],
  ])('leaves %s %s to Express', async (method, path) => {
    await send(fast, 'GET', '/feed.json', {})
    const before = hits
    const [viaListener, viaExpress] = await Promise.all([send(fast, method, path, {}), send(slow, method, path, {})])
    expect(hits).toBe(before)
    expect(viaListener.status).toBe(viaExpress.status)
  })
})

describe('a page whose body cannot be read', () => {
  it('is a 503 that no cache keeps, never a page without its text, and the next request tries again', async () => {
    const site = await createTestSite({ 'a.md': article({ title: '"A"' }, 'Premier corps.\n') })
    // Its background pass would render the article before the edit: this is about a first render after it.
    site.audit.close()
    const listener = createRequestListener(site.app)
    let hits = 0
    const server = createServer((req, res) => {
      if (site.app.serveFromCache(req, res)) hits++
      else listener(req, res)
    })
    try {
      const origin = await listen(server)
      // Changed on disk, unseen by a store that does not watch: its body no longer goes with its front matter.
      await site.write('a.md', article({ title: '"A"' }, 'Un autre corps, plus long que le premier.\n'))
      const first = await send(origin, 'GET', '/articles/a', {})
      expect(first.status).toBe(503)
      expect(first.headers['cache-control']).toBe('no-store')
      await send(origin, 'GET', '/articles/a', {})
      expect(hits).toBe(0)
    } finally {
      await new Promise((resolve) => server.close(resolve))
      await site.dispose()
    }
  })
})
