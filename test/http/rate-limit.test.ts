import request from 'supertest'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { article, createTestSite, type TestSite } from '../helpers/test-site.js'

// A reader that polls one feed too often is answered 429 with Retry-After (RFC 6585 §4)
// on that feed only; the limit is off unless the configuration turns it on.

const files = { 'a.md': article({ title: '"Un article"' }) }

describe('with http.rateLimit { enabled: true, max: 2, windowSeconds: 60 }', () => {
  let site: TestSite
  let consoleErrors: string[]
  beforeAll(async () => {
    // express-rate-limit reports a misconfiguration with console.error, not by throwing.
    consoleErrors = []
    const spy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      consoleErrors.push(args.map(String).join(' '))
    })
    try {
      site = await createTestSite(files, { configFile: { http: { rateLimit: { enabled: true, max: 2, windowSeconds: 60 } } } })
    } finally {
      spy.mockRestore()
    }
  })
  afterAll(() => site.dispose())

  it('the limiter is created without validation errors', () => {
    expect(consoleErrors).toEqual([])
  })

  it.each(['/feed.xml', '/atom.xml', '/feed.json', '/articles/a'])('the third GET of %s answers 429 with Retry-After', async (path) => {
    const statuses = []
    for (let attempt = 0; attempt < 2; attempt++) statuses.push((await request(site.app).get(path)).status)
    const limited = await request(site.app).get(path)
    expect(statuses).toEqual([200, 200])
    expect(limited.status).toBe(429)
    const retryAfter = Number(limited.headers['retry-after'])
    expect(Number.isInteger(retryAfter)).toBe(true)
    expect(retryAfter).toBeGreaterThan(0)
    expect(retryAfter).toBeLessThanOrEqual(60)
    // A 429 must not be stored in place of the feed.
    expect(limited.headers['cache-control']).toBe('no-store')
  })

  it('another URL is still answered 200 when one is limited', async () => {
    for (let attempt = 0; attempt < 3; attempt++) await request(site.app).get('/authors/la-redaction')
    expect((await request(site.app).get('/authors/la-redaction')).status).toBe(429)
    expect((await request(site.app).get('/')).status).toBe(200)
  })

  it('answers a JSON client with a JSON error it can read from any origin', async () => {
    for (let attempt = 0; attempt < 2; attempt++) await request(site.app).get('/authors/la-redaction/feed.json')
    const limited = await request(site.app).get('/authors/la-redaction/feed.json')
    expect(limited.status).toBe(429)
    expect(limited.headers['access-control-allow-origin']).toBe('*')
    expect(JSON.parse(limited.text)).toEqual({ error: { status: 429, message: expect.stringContaining('/authors/la-redaction/feed.json') } })
  })

  // Health checks and monitoring poll often by design.
  it.each(['/healthz', '/status'])('never limits %s', async (path) => {
    for (let attempt = 0; attempt < 5; attempt++) expect((await request(site.app).get(path)).status).toBe(200)
  })
})

describe('with the default configuration', () => {
  let site: TestSite
  beforeAll(async () => {
    site = await createTestSite(files)
  })
  afterAll(() => site.dispose())
  afterEach(() => vi.restoreAllMocks())

  it('forty GETs of one feed are all answered 200, without RateLimit headers', async () => {
    const statuses = new Set<number>()
    for (let attempt = 0; attempt < 40; attempt++) {
      const response = await request(site.app).get('/feed.xml')
      statuses.add(response.status)
      expect(response.headers.ratelimit).toBeUndefined()
    }
    expect([...statuses]).toEqual([200])
  })
})

describe('rate limit behind a proxy', () => {
  it('counts each reader forwarded by a trusted proxy on its own', async () => {
    const site = await createTestSite({ 'a.md': article() }, { configFile: { http: { rateLimit: { enabled: true, max: 1, windowSeconds: 60 } } }, env: { TRUST_PROXY: '1' } })
    try {
      const first = await request(site.app).get('/feed.xml').set('X-Forwarded-For', '203.0.113.1')
      const second = await request(site.app).get('/feed.xml').set('X-Forwarded-For', '203.0.113.2')
      const again = await request(site.app).get('/feed.xml').set('X-Forwarded-For', '203.0.113.1')
      expect([first.status, second.status, again.status]).toEqual([200, 200, 429])
    } finally {
      await site.dispose()
    }
  })
})
