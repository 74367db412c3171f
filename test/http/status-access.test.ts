import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isLoopbackAddress } from '../../src/http/status-access.js'
import { createTestSite, type TestSite, withoutWarnings } from '../helpers/test-site.js'

const token = 'a'.repeat(24) + 'b'.repeat(24)
// A draft with a problem: exactly what /status must not show to strangers.
const files = {
  'secret-plan.md': '---\ntitle: Plan secret\ndate: yesterday\ndraft: true\n---\nTexte.\n',
  'public.md': '---\ntitle: Public\ndate: 2026-11-20T10:00:00Z\n---\nTexte.\n',
}

describe('isLoopbackAddress', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.10.0.3', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['10.0.0.1', false],
    ['::ffff:192.0.2.1', false],
    ['2001:db8::1', false],
    ['', false],
    [undefined, false],
  ])('isLoopbackAddress(%j) is %s', (address, expected) => {
    expect(isLoopbackAddress(address)).toBe(expected)
  })
})

describe('GET /status without STATUS_TOKEN', () => {
  let site: TestSite
  beforeAll(async () => (site = await createTestSite(files)))
  afterAll(() => site.dispose())

  it('answers a client on this machine with the problems', async () => {
    const response = await request(site.app).get('/status')
    expect(response.status).toBe(200)
    expect(withoutWarnings((response.body as { problems: Array<{ file: string; severity?: string }> }).problems).map((problem) => problem.file)).toEqual(['secret-plan.md'])
  })

  it.each([
    ['X-Forwarded-For', '203.0.113.9'],
    ['Forwarded', 'for=203.0.113.9'],
    ['X-Real-IP', '203.0.113.9'],
  ])('answers a request forwarded by a proxy (%s) exactly as a path that does not exist', async (header, value) => {
    const status = await request(site.app).get('/status').set(header, value).set('Accept', 'application/json')
    const missing = await request(site.app).get('/nothing-here').set(header, value).set('Accept', 'application/json')
    expect(status.status).toBe(404)
    expect(status.body).toEqual({ error: { status: 404, message: 'nothing is published at /status' } })
    expect(missing.body).toEqual({ error: { status: 404, message: 'nothing is published at /nothing-here' } })
  })
})

describe('GET /status with STATUS_TOKEN', () => {
  let site: TestSite
  beforeAll(async () => (site = await createTestSite(files, { env: { STATUS_TOKEN: token } })))
  afterAll(() => site.dispose())

  it.each([
    ['no Authorization', undefined],
    ['a wrong token', `Bearer ${token.slice(1)}x`],
    ['the token without its scheme', token],
    ['another scheme', `Basic ${token}`],
  ])('answers a request with %s as a path that does not exist, naming no file', async (_what, authorization) => {
    const call = request(site.app).get('/status')
    if (authorization !== undefined) call.set('Authorization', authorization)
    const response = await call
    expect(response.status).toBe(404)
    expect(response.text).toBe('404 nothing is published at /status\n')
  })

  it('answers the bearer of the token, from anywhere', async () => {
    const response = await request(site.app).get('/status').set('Authorization', `Bearer ${token}`).set('X-Forwarded-For', '203.0.113.9')
    expect(response.status).toBe(200)
    expect(response.headers['cache-control']).toBe('no-store')
    expect((response.body as { articles: number }).articles).toBe(1)
  })
})
