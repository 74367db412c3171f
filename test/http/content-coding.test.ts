import { request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { article, createTestSite, type TestSite } from '../helpers/test-site.js'

// Content codings (RFC 9110 §8.4, §12.5.3) are checked on the wire: supertest and fetch
// decode bodies themselves, so this file listens on 127.0.0.1 and reads raw bytes with
// node:http, then decodes with node:zlib to compare with the identity body byte for byte.

const leadSvg = `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300">${'<rect width="4" height="3"/>'.repeat(20)}</svg>\n`
const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...Array<number>(400).fill(0)])

let site: TestSite
let server: Server
let origin: string
beforeAll(async () => {
  site = await createTestSite({
    'older.md': article({ title: '"Plus ancien"', date: '2026-11-10T10:00:00+01:00' }, 'Un paragraphe assez long pour valoir la compression. '.repeat(20)),
    'newer.md': article({
      title: '"Plus récent"',
      date: '2026-11-20T10:00:00+01:00',
      image: '{ src: images/lead.svg, alt: "Des colis", credit: Shutterstock }',
    }),
    'images/lead.svg': leadSvg,
    'images/photo.png': pngSignature,
  })
  server = site.app.listen(0, '127.0.0.1')
  await new Promise<void>((resolve) => server.once('listening', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())))
  await site.dispose()
})

/** A response as it came over the wire: nothing decoded. */
interface RawResponse {
  status: number
  headers: IncomingHttpHeaders
  body: Buffer
}

/** Send one request with exactly these headers and keep the body's bytes as sent. */
function fetchRaw(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(`${origin}${path}`, { method, headers }, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks) }))
      response.on('error', reject)
    })
    outgoing.on('error', reject)
    outgoing.end()
  })
}

/** Decode a body with the coding it was sent with. */
function decode(response: RawResponse): Buffer {
  const coding = response.headers['content-encoding']
  if (coding === undefined) return response.body
  if (coding === 'gzip') return gunzipSync(response.body)
  if (coding === 'br') return brotliDecompressSync(response.body)
  throw new Error(`unexpected Content-Encoding: ${coding}`)
}

/** Members of a list-valued header, lowercased. */
function listMembers(value: string | undefined): string[] {
  return (value ?? '').split(',').map((member) => member.trim().toLowerCase()).filter(Boolean)
}

const paths = ['/feed.xml', '/atom.xml', '/feed.json', '/articles/older', '/', '/media/images/lead.svg', '/feed.css']

const negotiations: Array<[string | undefined, string | undefined]> = [
  [undefined, undefined],
  ['identity', undefined],
  ['', undefined],
  ['gzip', 'gzip'],
  ['br', 'br'],
  ['GZIP', 'gzip'],
  // Between codings of equal weight the server chooses, and brotli is smaller.
  ['gzip, br', 'br'],
  ['gzip, deflate, br, zstd', 'br'],
  ['*', 'br'],
  ['br;q=0, gzip', 'gzip'],
  ['br;q=0.5, gzip', 'gzip'],
  ['gzip;q=0.5, br;q=0.9', 'br'],
  ['*;q=0.5, gzip', 'gzip'],
  ['identity;q=0, gzip', 'gzip'],
  ['deflate', undefined],
  ['br;q=0, gzip;q=0', undefined],
]

describe.each(paths)('GET %s', (path) => {
  it.each(negotiations)('with Accept-Encoding: %s is sent with Content-Encoding %s, and decodes to the identity bytes', async (acceptEncoding, coding) => {
    const identity = await fetchRaw(path, { 'Accept-Encoding': 'identity' })
    const response = await fetchRaw(path, acceptEncoding === undefined ? {} : { 'Accept-Encoding': acceptEncoding })
    expect(response.status).toBe(200)
    expect(response.headers['content-encoding']).toBe(coding)
    expect(Number(response.headers['content-length'])).toBe(response.body.length)
    expect(Buffer.compare(decode(response), identity.body)).toBe(0)
  })

  it('says Vary: Accept-Encoding whatever the coding', async () => {
    for (const acceptEncoding of ['identity', 'gzip', 'br']) {
      const response = await fetchRaw(path, { 'Accept-Encoding': acceptEncoding })
      expect(listMembers(response.headers.vary)).toContain('accept-encoding')
    }
  })

  it('gives each coding its own strong ETag', async () => {
    const etags = await Promise.all(['identity', 'gzip', 'br'].map(async (coding) => (await fetchRaw(path, { 'Accept-Encoding': coding })).headers.etag))
    expect(new Set(etags).size).toBe(3)
    for (const etag of etags) expect(etag).toMatch(/^"[^"]+"$/)
  })

  it.each([
    ['identity', 'gzip'],
    ['gzip', 'br'],
    ['br', 'identity'],
  ])('answers 304 to an ETag obtained with %s when asked for %s, with the ETag a 200 would carry', async (earlier, now) => {
    const first = await fetchRaw(path, { 'Accept-Encoding': earlier })
    const current = await fetchRaw(path, { 'Accept-Encoding': now })
    const revalidated = await fetchRaw(path, { 'Accept-Encoding': now, 'If-None-Match': first.headers.etag! })
    expect(revalidated.status).toBe(304)
    expect(revalidated.body.length).toBe(0)
    // RFC 9110 §15.4.5: the 304 carries the ETag a 200 to the same request would carry.
    expect(revalidated.headers.etag).toBe(current.headers.etag)
  })

  it('answers HEAD with the Content-Encoding and Content-Length of GET, and no body', async () => {
    const full = await fetchRaw(path, { 'Accept-Encoding': 'gzip' })
    const head = await fetchRaw(path, { 'Accept-Encoding': 'gzip' }, 'HEAD')
    expect(head.headers['content-encoding']).toBe('gzip')
    expect(head.headers['content-length']).toBe(String(full.body.length))
    expect(head.headers.etag).toBe(full.headers.etag)
    expect(head.body.length).toBe(0)
  })
})

describe('what is not compressed', () => {
  // Compressing a handful of bytes costs more than it saves; a PNG is compressed already.
  it.each(['/healthz', '/media/images/photo.png'])('GET %s with Accept-Encoding: br, gzip is sent as is, without Vary', async (path) => {
    const response = await fetchRaw(path, { 'Accept-Encoding': 'br, gzip' })
    expect(response.status).toBe(200)
    expect(response.headers['content-encoding']).toBeUndefined()
    expect(listMembers(response.headers.vary)).not.toContain('accept-encoding')
  })

  it('a compressed body is smaller than the identity one', async () => {
    const identity = await fetchRaw('/feed.xml', { 'Accept-Encoding': 'identity' })
    for (const coding of ['gzip', 'br']) {
      const compressed = await fetchRaw('/feed.xml', { 'Accept-Encoding': coding })
      expect(compressed.body.length).toBeLessThan(identity.body.length)
    }
  })
})

describe('negotiation after many made-up header values', () => {
  // Results are remembered per header value, in memos emptied when full so that made-up
  // values cannot grow memory: neither the emptying nor an overlong value changes an answer.
  const madeUp = [...Array.from({ length: 600 }, (_, index) => `x-made-up-${index}`), `x-${'long'.repeat(200)}`]

  it('GET /feed.xml with Accept-Encoding: <made-up>, gzip is gzip every time, and br is still br', async () => {
    for (const value of madeUp) expect((await fetchRaw('/feed.xml', { 'Accept-Encoding': `${value}, gzip` })).headers['content-encoding']).toBe('gzip')
    expect((await fetchRaw('/feed.xml', { 'Accept-Encoding': 'br' })).headers['content-encoding']).toBe('br')
  })

  it("GET /feed.xml with a browser's Accept plus <made-up> is application/xml every time, and a feed reader's is still RSS", async () => {
    for (const value of madeUp) {
      const response = await fetchRaw('/feed.xml', { Accept: `text/html,application/xml;q=0.9,${value}/x;q=0.1` })
      expect(response.headers['content-type']).toBe('application/xml; charset=utf-8')
    }
    expect((await fetchRaw('/feed.xml', { Accept: 'application/rss+xml' })).headers['content-type']).toBe('application/rss+xml; charset=utf-8')
  })
})
