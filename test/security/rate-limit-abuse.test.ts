import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../src/config.js'
import { BoundedRateLimitStore } from '../../src/http/rate-limit.js'
import { article, createTestSite, type TestSite } from '../helpers/test-site.js'

// The limit cannot be walked around with spellings, punishes no reader that revalidates,
// counts no error, and keeps a bounded number of counters whatever clients send.

const files = { 'a.md': article({ title: '"Un article"' }), 'images/photo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) }

/** A site limited to `max` full answers per URL and client; clients are told apart by X-Forwarded-For. */
function limitedSite(max: number, maxKeys = 1000): Promise<TestSite> {
  return createTestSite(files, { configFile: { http: { rateLimit: { enabled: true, max, windowSeconds: 60, maxKeys } } }, env: { TRUST_PROXY: '1' } })
}

function get(site: TestSite, url: string, client: string, headers: Record<string, string> = {}) {
  return request(site.app).get(url).set({ 'X-Forwarded-For': client, ...headers })
}

describe('with http.rateLimit { max: 2 }', () => {
  let site: TestSite
  beforeAll(async () => {
    site = await limitedSite(2)
  })
  afterAll(() => site.dispose())

  it.each([
    ['/feed.xml', ['/%66eed.xml', '/feed%2Exml']],
    ['/articles/a', ['/articles/%61', '/%61rticles/a']],
    ['/media/images/photo.png', ['/media/images/%70hoto.png', '/media/images/./photo.png', '/media//images/photo.png']],
  ])('every spelling of %s counts against one limit: %j', async (url, spellings) => {
    const client = `198.51.100.${spellings.length + url.length}`
    const statuses = []
    for (const spelling of [...spellings, url]) statuses.push((await get(site, spelling, client)).status)
    expect(statuses).toEqual([200, 200, ...Array(spellings.length - 1).fill(429)])
  })

  it('a reader that revalidates is never limited: 304s cost nothing', async () => {
    const client = '198.51.100.20'
    const etag = String((await get(site, '/atom.xml', '198.51.100.21')).headers.etag)
    const revalidations = []
    for (let attempt = 0; attempt < 10; attempt++) revalidations.push((await get(site, '/atom.xml', client, { 'If-None-Match': etag })).status)
    expect(revalidations).toEqual(Array(10).fill(304))
    // Its two full downloads still go through; the third is limited.
    const downloads = []
    for (let attempt = 0; attempt < 3; attempt++) downloads.push((await get(site, '/atom.xml', client)).status)
    expect(downloads).toEqual([200, 200, 429])
  })

  it('a reader that downloads is limited before one that revalidates', async () => {
    const etag = String((await get(site, '/feed.json', '198.51.100.30')).headers.etag)
    const downloader = []
    const revalidator = []
    for (let attempt = 0; attempt < 4; attempt++) {
      downloader.push((await get(site, '/feed.json', '198.51.100.31')).status)
      revalidator.push((await get(site, '/feed.json', '198.51.100.32', { 'If-None-Match': etag })).status)
    }
    expect(downloader).toEqual([200, 200, 429, 429])
    expect(revalidator).toEqual([304, 304, 304, 304])
  })

  it('4xx answers do not count', async () => {
    const client = '198.51.100.40'
    const errors = []
    for (let attempt = 0; attempt < 5; attempt++) {
      errors.push((await get(site, '/tags/nope', client)).status, (await get(site, '/feed.json?page=abc', client)).status, (await get(site, '/feed.xml?page=2', client)).status)
    }
    expect(new Set(errors)).toEqual(new Set([404, 400]))
    expect([(await get(site, '/feed.json', client)).status, (await get(site, '/feed.json', client)).status]).toEqual([200, 200])
  })

  it('a flood of made-up paths adds one counter per client, not one per path', async () => {
    const before = site.app.rateLimitStore!.size
    for (let index = 0; index < 300; index++) expect((await get(site, `/articles/made-up-${index}`, '198.51.100.50')).status).toBe(404)
    for (let index = 0; index < 300; index++) await get(site, `/media/x${index}.png`, '198.51.100.50')
    expect(site.app.rateLimitStore!.size).toBe(before + 1)
  })
})

describe('with http.rateLimit { maxKeys: 50 }', () => {
  let site: TestSite
  beforeAll(async () => {
    site = await limitedSite(2, 50)
  })
  afterAll(() => site.dispose())

  it('a flood of clients and published paths keeps 50 counters, and the limit still holds', async () => {
    const paths = ['/feed.xml', '/atom.xml', '/feed.json', '/articles/a', '/', '/media/images/photo.png']
    for (let index = 0; index < 600; index++) await get(site, paths[index % paths.length]!, `203.0.113.${index % 250}`).set('X-Forwarded-For', `10.${index >> 8}.${index & 255}.1`)
    expect(site.app.rateLimitStore!.size).toBe(50)
    const statuses = []
    for (let attempt = 0; attempt < 3; attempt++) statuses.push((await get(site, '/feed.xml', '192.0.2.1')).status)
    expect(statuses).toEqual([200, 200, 429])
    expect(site.app.rateLimitStore!.size).toBe(50)
  })
})

describe('BoundedRateLimitStore', () => {
  it('new BoundedRateLimitStore(100) keeps 100 counters after 100,000 unique keys', () => {
    const store = new BoundedRateLimitStore(100)
    for (let index = 0; index < 100_000; index++) store.increment(`client ${index}`)
    expect(store.size).toBe(100)
    // The most recent keys are the ones kept.
    expect(store.increment('client 99999').totalHits).toBe(2)
    expect(store.increment('client 0').totalHits).toBe(1)
  })
})

describe('TRUST_PROXY', () => {
  const env = { NODE_ENV: 'test', SITE_TITLE: 'T', SITE_DESCRIPTION: 'D', SITE_LANGUAGE: 'fr', SITE_AUTHOR: 'A', SITE_COPYRIGHT: 'C', CREDITLINE_CONFIG: '/dev/null/none.json' }
  const message = "trusts every client's X-Forwarded-For, so any client could choose its address; expected the number of proxies in front of the service (such as 1) or their addresses"

  it.each(['true', 'TRUE', '0.0.0.0/0', '::/0', '10.0.0.1, 0.0.0.0/0', '1.2.3.4/0.0.0.0'])('TRUST_PROXY=%s is refused with one line', (value) => {
    const load = () => loadConfig({ ...env, TRUST_PROXY: value })
    expect(load).toThrow(ConfigError)
    expect(load).toThrow(`environment: TRUST_PROXY: ${message}, got "${value}"`)
  })

  it.each([
    ['1', 1],
    ['loopback', 'loopback'],
    ['10.0.0.0/8, 192.168.1.1', '10.0.0.0/8, 192.168.1.1'],
  ])('TRUST_PROXY=%s is kept as %j', async (value, expected) => {
    const site = await createTestSite(files, { env: { TRUST_PROXY: value } })
    try {
      expect(site.config.trustProxy).toEqual(expected)
    } finally {
      await site.dispose()
    }
  })
})
