/**
 * The shipped VCL (deploy/varnish/default.vcl) in Debian's varnishd, in front of the real
 * service on 127.0.0.1: what reaches the origin is counted there, and everything a
 * client sees is read through Varnish.
 *
 * Without /usr/sbin/varnishd the tests are skipped on a developer's machine and fail in
 * CI (CI set), where .ci/run installs it.
 */
import { existsSync } from 'node:fs'
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRequestListener } from '../../src/http/create-app.js'
import { createLogger } from '../../src/logger.js'
import { announceChanges, type ChangeAnnouncer } from '../../src/publish/announce-changes.js'
import { elements, parseHtml, visibleText } from '../fixtures/parse-html.js'
import { child, children, ns, parseXml, text } from '../helpers/parse-xml.js'
import { startVarnish, varnishdPath, type RunningVarnish } from '../helpers/start-varnish.js'
import { article, createTestSite, type TestSite } from '../helpers/test-site.js'
import { waitFor } from '../helpers/wait-for.js'

const inCi = (process.env.CI ?? '') !== ''
const skipped = !existsSync(varnishdPath) && !inCi
if (skipped) console.warn(`test/deploy/varnish-in-front skipped: ${varnishdPath} is missing and CI is not set (install it with: apt-get install varnish)`)

const files = {
  'a.md': article({ title: '"Article A"', date: '2026-11-21T10:00:00+01:00', tags: '[Alpha]' }, 'Le texte de A, assez long pour être compressé. '.repeat(20)),
  'b.md': article({ title: '"Article B"', date: '2026-11-20T10:00:00+01:00', tags: '[Beta]' }, 'Le texte de B. '.repeat(20)),
}

/** One answer read through Varnish: status, headers and the bytes as sent (not decoded). */
interface Answer {
  status: number
  headers: IncomingHttpHeaders
  body: Buffer
}

/** A GET on a new connection each time (many clients), without any decoding. */
function get(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { headers, agent: false }, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks) }))
      response.on('error', reject)
    })
    outgoing.on('error', reject)
    outgoing.end()
  })
}

/** The service on a loopback port, counting the requests that reach it. */
async function startOrigin(site: TestSite): Promise<{ server: Server; port: number; requests: Array<{ path: string; encoding: string }> }> {
  const requests: Array<{ path: string; encoding: string }> = []
  const listener = createRequestListener(site.app)
  const server = createServer((req, res) => {
    requests.push({ path: req.url ?? '', encoding: req.headers['accept-encoding'] ?? '' })
    listener(req, res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, port: (server.address() as AddressInfo).port, requests }
}

function stopOrigin(server: Server): Promise<void> {
  server.closeAllConnections()
  return new Promise((resolve) => server.close(() => resolve()))
}

function decode(answer: Answer): string {
  const coding = answer.headers['content-encoding']
  const bytes = coding === 'br' ? brotliDecompressSync(answer.body) : coding === 'gzip' ? gunzipSync(answer.body) : answer.body
  return bytes.toString('utf8')
}

function varyOf(answer: Answer): string[] {
  return String(answer.headers.vary ?? '').split(',').map((name) => name.trim().toLowerCase())
}

describe.skipIf(skipped)('Varnish in front of the service (deploy/varnish/default.vcl)', () => {
  let site: TestSite
  let origin: Awaited<ReturnType<typeof startOrigin>>
  let varnish: RunningVarnish
  let announcer: ChangeAnnouncer
  const originCount = (path: string, encoding?: string) => origin.requests.filter((seen) => seen.path === path && (encoding === undefined || seen.encoding === encoding)).length

  beforeAll(async () => {
    site = await createTestSite(files, { watch: true })
    origin = await startOrigin(site)
    varnish = await startVarnish(origin.port)
    // What server.ts starts, with this Varnish as the cache to purge.
    announcer = announceChanges({ config: { ...site.config, cache: { purgeUrls: [varnish.url] } }, store: site.store, renderer: site.renderer, logger: createLogger('silent') })
  }, 60_000)

  afterAll(async () => {
    announcer?.close()
    await varnish?.stop()
    if (origin) await stopOrigin(origin.server)
    await site?.dispose()
  })

  it('GET /feed.xml from 50 clients, 10 times each, reaches the origin once', async () => {
    const answers = await Promise.all(Array.from({ length: 50 }, async () => {
      const mine: Answer[] = []
      for (let index = 0; index < 10; index++) mine.push(await get(`${varnish.url}/feed.xml`, { 'Accept-Encoding': 'gzip' }))
      return mine
    }))
    const all = answers.flat()
    expect(all).toHaveLength(500)
    expect(new Set(all.map((answer) => answer.status))).toEqual(new Set([200]))
    expect(new Set(all.map((answer) => answer.headers.etag)).size).toBe(1)
    expect(originCount('/feed.xml')).toBe(1)
    expect(all.filter((answer) => answer.headers['x-cache'] === 'HIT')).toHaveLength(499)
  })

  it('GET /feed.xml with If-None-Match: <its ETag> is a 304 from Varnish', async () => {
    const first = await get(`${varnish.url}/feed.xml`, { 'Accept-Encoding': 'gzip' })
    const before = originCount('/feed.xml')
    const conditional = await get(`${varnish.url}/feed.xml`, { 'Accept-Encoding': 'gzip', 'If-None-Match': String(first.headers.etag) })
    expect(conditional.status).toBe(304)
    expect(conditional.body).toHaveLength(0)
    expect(conditional.headers.etag).toBe(first.headers.etag)
    expect(originCount('/feed.xml')).toBe(before)
  })

  it('GET /atom.xml keeps brotli, gzip and identity as three variants of one feed', async () => {
    const variants = new Map<string, string>()
    for (const [acceptEncoding, coding] of [['br, gzip, deflate', 'br'], ['gzip, deflate', 'gzip'], ['identity', undefined]] as const) {
      const first = await get(`${varnish.url}/atom.xml`, { 'Accept-Encoding': acceptEncoding })
      const again = await get(`${varnish.url}/atom.xml`, { 'Accept-Encoding': acceptEncoding })
      expect([first.status, again.status]).toEqual([200, 200])
      expect(first.headers['content-encoding']).toBe(coding)
      expect(again.headers['content-encoding']).toBe(coding)
      expect(again.headers['x-cache']).toBe('HIT')
      expect(again.headers.etag).toBe(first.headers.etag)
      expect(varyOf(first)).toContain('accept-encoding')
      variants.set(coding ?? 'identity', decode(again))
    }
    // Each coding fetched once (Varnish asks with the normalised value), none twice.
    expect(origin.requests.filter((seen) => seen.path === '/atom.xml').map((seen) => seen.encoding).sort()).toEqual(['', 'br', 'gzip'])
    const identity = variants.get('identity')!
    expect(text(child(parseXml(identity).documentElement!, ns.atom, 'title'))).toBe('Test Site')
    expect(variants.get('br')).toBe(identity)
    expect(variants.get('gzip')).toBe(identity)
  })

  it('GET /feed.json passes the JSON Feed CORS headers through, from the cache too', async () => {
    for (const expected of ['MISS', 'HIT']) {
      const answer = await get(`${varnish.url}/feed.json`, { Origin: 'https://reader.example' })
      expect(answer.headers['x-cache']).toBe(expected)
      expect(answer.headers['access-control-allow-origin']).toBe('*')
      expect(String(answer.headers['access-control-expose-headers']).split(',')).toEqual(expect.arrayContaining(['ETag', 'Last-Modified', 'Link']))
      expect((JSON.parse(decode(answer)) as { title: string }).title).toBe('Test Site')
    }
    expect(originCount('/feed.json')).toBe(1)
  })

  it('strips the surrogate keys it bans by', async () => {
    const answer = await get(`${varnish.url}/feed.xml`)
    expect(answer.headers.xkey).toBeUndefined()
    expect(answer.headers['surrogate-key']).toBeUndefined()
    expect(answer.headers['cache-tag']).toBeUndefined()
  })

  it('an edit of Article A is served at once by its page and feeds, while other documents stay cached', async () => {
    const changed = ['/feed.xml', '/tags/alpha/feed.xml', '/articles/a']
    const untouched = ['/articles/b', '/tags/beta/feed.xml', '/tags/beta', '/about']
    for (const path of [...changed, ...untouched]) expect((await get(`${varnish.url}${path}`)).status, path).toBe(200)
    for (const path of [...changed, ...untouched]) expect((await get(`${varnish.url}${path}`)).headers['x-cache'], path).toBe('HIT')
    const version = site.store.catalog.version
    await site.write('a.md', files['a.md'].replace('"Article A"', '"Article A, corrigé"'))
    await waitFor(() => (site.store.catalog.version !== version ? true : undefined), { what: 'the edit to be published' })
    await announcer.idle()

    for (const path of ['/feed.xml', '/tags/alpha/feed.xml']) {
      const answer = await get(`${varnish.url}${path}`)
      expect(answer.headers['x-cache'], path).toBe('MISS')
      const channel = child(parseXml(decode(answer)).documentElement!, null, 'channel')
      const titles = children(channel, null, 'item').map((item) => text(child(item, null, 'title')))
      expect(titles, path).toContain('Article A, corrigé')
    }
    const page = await get(`${varnish.url}/articles/a`)
    expect(page.headers['x-cache']).toBe('MISS')
    expect(visibleText(elements(parseHtml(decode(page)), 'h1')[0])).toBe('Article A, corrigé')
    for (const path of untouched) expect((await get(`${varnish.url}${path}`)).headers['x-cache'], path).toBe('HIT')
  })
})

describe.skipIf(skipped)('Varnish grace (stale-while-revalidate)', () => {
  let site: TestSite
  let origin: Awaited<ReturnType<typeof startOrigin>>
  let varnish: RunningVarnish

  beforeAll(async () => {
    // A one-second max-age, so the copy goes stale during the test; grace stays a day.
    site = await createTestSite(files, { configFile: { http: { maxAge: 1 } } })
    origin = await startOrigin(site)
    varnish = await startVarnish(origin.port)
  }, 60_000)

  afterAll(async () => {
    await varnish?.stop()
    await site?.dispose()
  })

  it('GET /feed.xml is served stale while the origin is stopped', async () => {
    const fresh = await get(`${varnish.url}/feed.xml`)
    expect(fresh.status).toBe(200)
    expect(String(fresh.headers['cache-control'])).toContain('stale-while-revalidate=86400')
    await stopOrigin(origin.server)
    await expect(get(`http://127.0.0.1:${origin.port}/feed.xml`)).rejects.toThrow()
    // Past max-age (Age over 1 s), with nothing to fetch from: the stale copy.
    const stale = await waitFor(async () => {
      const answer = await get(`${varnish.url}/feed.xml`)
      expect(answer.status).toBe(200)
      return Number(answer.headers.age) >= 2 ? answer : undefined
    }, { timeoutMs: 15_000, what: 'a copy older than its max-age' })
    expect(stale.body.equals(fresh.body)).toBe(true)
    expect(stale.headers.etag).toBe(fresh.headers.etag)
    expect(origin.requests.filter((seen) => seen.path === '/feed.xml')).toHaveLength(1)
  }, 30_000)
})
