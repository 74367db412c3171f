import request from 'supertest'
import type { Response } from 'superagent'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { article, createTestSite, testNow, type TestSite, siteAddresses } from '../helpers/test-site.js'
import { waitFor } from '../helpers/wait-for.js'

// Feed readers poll: a 304 saves the body, a wrong 304 hides an article. Preconditions
// follow RFC 9110 §13: If-None-Match (weak comparison, lists, `*`) and, only without it,
// If-Modified-Since; If-Match and If-Unmodified-Since (strong) before both.

// A picture large enough to be compressed, so media have every header a feed has.
const leadSvg = `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300">${'<rect width="4" height="3"/>'.repeat(20)}</svg>\n`

describe.each(siteAddresses)('the site $where', ({ basePath }) => {
  let site: TestSite
  beforeAll(async () => {
    site = await createTestSite({
      'older.md': article({ title: '"Plus ancien"', date: '2026-11-10T10:00:00+01:00' }),
      'newer.md': article({
        title: '"Plus récent"',
        date: '2026-11-20T10:00:00+01:00',
        image: '{ src: images/lead.svg, alt: "Des colis", credit: Shutterstock }',
      }),
      'images/lead.svg': leadSvg,
    }, { basePath })
  })
  afterAll(() => site.dispose())

  const paths = ['/feed.xml', '/atom.xml', '/feed.json', '/feed.json?page=1', '/articles/newer', '/', '/media/images/lead.svg']

  /** GET (or HEAD) without any content coding, so ETag and bytes are the identity ones. */
  function get(path: string, headers: Record<string, string> = {}, method: 'get' | 'head' = 'get') {
    return request(site.app)[method](`${basePath}${path}`).set('Accept-Encoding', 'identity').set(headers).buffer(true).parse(collectBytes)
  }

  /** The validators a first, unconditional GET gives. */
  async function validatorsOf(path: string): Promise<{ etag: string; lastModified: string }> {
    const response = await get(path)
    expect(response.status).toBe(200)
    return { etag: response.headers.etag as string, lastModified: response.headers['last-modified'] as string }
  }

  /** An HTTP date `seconds` away from `date`. */
  function shift(date: string, seconds: number): string {
    return new Date(Date.parse(date) + seconds * 1000).toUTCString()
  }

  type Conditions = (validators: { etag: string; lastModified: string }) => Record<string, string>

  const cases: Array<[string, Conditions, number]> = [
    ['If-None-Match: <its ETag>', ({ etag }) => ({ 'If-None-Match': etag }), 304],
    ['If-None-Match: "other", <its ETag>', ({ etag }) => ({ 'If-None-Match': `"other", ${etag}` }), 304],
    ['If-None-Match: "other",<its ETag>,"more"', ({ etag }) => ({ 'If-None-Match': `"other",${etag},"more"` }), 304],
    // If-None-Match uses the weak comparison (RFC 9110 §13.1.2).
    ['If-None-Match: W/<its ETag>', ({ etag }) => ({ 'If-None-Match': `W/${etag}` }), 304],
    ['If-None-Match: *', () => ({ 'If-None-Match': '*' }), 304],
    ['If-None-Match: "other"', () => ({ 'If-None-Match': '"other"' }), 200],
    ['If-None-Match: W/"other"', () => ({ 'If-None-Match': 'W/"other"' }), 200],
    ['If-None-Match: <its ETag without quotes>', ({ etag }) => ({ 'If-None-Match': etag.slice(1, -1) }), 200],
    ['If-Modified-Since: <its Last-Modified>', ({ lastModified }) => ({ 'If-Modified-Since': lastModified }), 304],
    // Only its own date: a later one may come from another instance, whose files are newer.
    ['If-Modified-Since: <a day later>', ({ lastModified }) => ({ 'If-Modified-Since': shift(lastModified, 86_400) }), 200],
    ['If-Modified-Since: <a second earlier>', ({ lastModified }) => ({ 'If-Modified-Since': shift(lastModified, -1) }), 200],
    ['If-Modified-Since: <not a date>', () => ({ 'If-Modified-Since': 'yesterday' }), 200],
    // With If-None-Match, If-Modified-Since is not evaluated (RFC 9110 §13.1.3).
    ['If-None-Match: "other" and If-Modified-Since: <its Last-Modified>', ({ lastModified }) => ({ 'If-None-Match': '"other"', 'If-Modified-Since': lastModified }), 200],
    ['If-None-Match: <its ETag> and If-Modified-Since: <a second earlier>', ({ etag, lastModified }) => ({ 'If-None-Match': etag, 'If-Modified-Since': shift(lastModified, -1) }), 304],
    // If-Match uses the strong comparison; a failed one answers 412 (RFC 9110 §13.1.1).
    ['If-Match: <its ETag>', ({ etag }) => ({ 'If-Match': etag }), 200],
    ['If-Match: *', () => ({ 'If-Match': '*' }), 200],
    ['If-Match: "other"', () => ({ 'If-Match': '"other"' }), 412],
    ['If-Match: W/<its ETag>', ({ etag }) => ({ 'If-Match': `W/${etag}` }), 412],
    ['If-Unmodified-Since: <its Last-Modified>', ({ lastModified }) => ({ 'If-Unmodified-Since': lastModified }), 200],
    ['If-Unmodified-Since: <a second earlier>', ({ lastModified }) => ({ 'If-Unmodified-Since': shift(lastModified, -1) }), 412],
  ]

  describe.each(paths)('GET %s', (path) => {
    it.each(cases)('with %s answers %i', async (_title, conditions, status) => {
      const response = await get(path, conditions(await validatorsOf(path)))
      expect(response.status).toBe(status)
    })

    it('answers 304 with the ETag, Cache-Control, Last-Modified and Vary of its 200, and no body', async () => {
      const full = await get(path)
      const notModified = await get(path, { 'If-None-Match': full.headers.etag as string })
      expect(notModified.status).toBe(304)
      for (const field of ['etag', 'cache-control', 'last-modified', 'vary']) {
        expect(notModified.headers[field], field).toBeDefined()
        expect(notModified.headers[field], field).toBe(full.headers[field])
      }
      expect((notModified.body as Buffer).length).toBe(0)
    })

    it('answers HEAD with the headers of GET and no body', async () => {
      const full = await get(path)
      const head = await get(path, {}, 'head')
      expect(head.status).toBe(200)
      expect(withoutDate(head.headers)).toEqual(withoutDate(full.headers))
      expect((head.body as Buffer | undefined)?.length ?? 0).toBe(0)
    })

    it('sends a Content-Length equal to the bytes of the body, for GET and HEAD', async () => {
      const full = await get(path)
      const head = await get(path, {}, 'head')
      expect(Number(full.headers['content-length'])).toBe((full.body as Buffer).length)
      expect(Number(head.headers['content-length'])).toBe((full.body as Buffer).length)
    })
  })

  describe('preconditions and other answers', () => {
    it('HEAD with If-None-Match: <its ETag> answers 304', async () => {
      const { etag } = await validatorsOf('/feed.xml')
      const response = await get('/feed.xml', { 'If-None-Match': etag }, 'head')
      expect(response.status).toBe(304)
      expect(response.headers.etag).toBe(etag)
    })

    // Preconditions apply only when the request would otherwise succeed (RFC 9110 §13.2.1).
    it.each([
      ['/articles/nope', 404],
      ['/feed.json?page=abc', 400],
    ])('GET %s with If-None-Match: * answers %i', async (path, status) => {
      const response = await get(path, { 'If-None-Match': '*' })
      expect(response.status).toBe(status)
    })

    it('the ETag of one URL does not validate another', async () => {
      const { etag } = await validatorsOf('/feed.xml')
      const response = await get('/atom.xml', { 'If-None-Match': etag })
      expect(response.status).toBe(200)
    })

    it('a resource without a date ignores If-Modified-Since', async () => {
      const css = await get('/feed.css')
      expect(css.headers['last-modified']).toBeUndefined()
      const response = await get('/feed.css', { 'If-Modified-Since': 'Fri, 01 Jan 2100 00:00:00 GMT' })
      expect(response.status).toBe(200)
    })

    it('dates a feed by its newest article, at a whole second', async () => {
      const { lastModified } = await validatorsOf('/feed.xml')
      expect(lastModified).toBe('Fri, 20 Nov 2026 09:00:00 GMT')
    })
  })

  describe('validators across content changes', () => {
    // Two sites stand for one site before and after an article is added to another tag.
    let before: TestSite
    let after: TestSite
    beforeAll(async () => {
      const common = {
        'tagged.md': article({ title: '"Étiqueté"', date: '2026-11-10T10:00:00+01:00', tags: '[Commerce]' }),
        'other.md': article({ title: '"Autre"', date: '2026-11-12T10:00:00+01:00', tags: '[France]' }),
      }
      before = await createTestSite(common, { basePath })
      after = await createTestSite({ ...common, 'added.md': article({ title: '"Ajouté"', date: '2026-11-25T10:00:00+01:00', tags: '[France]' }) }, { basePath })
    })
    afterAll(async () => {
      await before.dispose()
      await after.dispose()
    })

    const etagOf = async (target: TestSite, path: string) => (await request(target.app).get(`${basePath}${path}`).set('Accept-Encoding', 'identity')).headers.etag as string

    it.each(['/feed.xml', '/tags/france/feed.json', '/'])('the old ETag of %s no longer validates once an article is added', async (path) => {
      const response = await request(after.app).get(`${basePath}${path}`).set('Accept-Encoding', 'identity').set('If-None-Match', await etagOf(before, path))
      expect(response.status).toBe(200)
    })

    // ETags come from the bytes, so readers of an untouched feed keep getting 304s.
    it.each(['/tags/commerce/feed.xml', '/tags/commerce/atom.xml', '/tags/commerce/feed.json', '/articles/tagged'])('the ETag of %s, untouched by the new article, still validates', async (path) => {
      const response = await request(after.app).get(`${basePath}${path}`).set('Accept-Encoding', 'identity').set('If-None-Match', await etagOf(before, path))
      expect(response.status).toBe(304)
    })
  })

  /** Response headers that must be equal between two answers (Date is the clock's). */
  function withoutDate(headers: Record<string, string>): Record<string, string> {
    const { date: _date, ...rest } = headers
    return rest
  }

  /** A supertest parser that keeps the body as bytes, whatever its type. */
  function collectBytes(response: Response, callback: (error: Error | null, body: Buffer) => void): void {
    const chunks: Buffer[] = []
    response.on('data', (chunk: Buffer) => chunks.push(chunk))
    response.on('end', () => callback(null, Buffer.concat(chunks)))
  }

  describe('Last-Modified of an article edited without `updated:`', () => {
    it('follows the file, so If-Modified-Since alone sees the edit', async () => {
      const edited = new Date('2026-11-25T08:30:00Z')
      const site = await createTestSite({ 'a.md': article({ date: '2026-11-20T10:00:00+01:00' }) }, { basePath, filesModified: edited })
      try {
        for (const path of ['/feed.xml', '/atom.xml', '/feed.json', '/articles/a', '/']) {
          const response = await request(site.app).get(`${basePath}${path}`)
          expect(response.headers['last-modified'], path).toBe('Wed, 25 Nov 2026 08:30:00 GMT')
          expect((await request(site.app).get(`${basePath}${path}`).set('If-Modified-Since', 'Fri, 20 Nov 2026 09:00:00 GMT')).status, path).toBe(200)
        }
      } finally {
        await site.dispose()
      }
    })
  })

  describe('Last-Modified of an article updated in the future', () => {
    // RFC 9110 §8.8.2.1: never later than Date, or If-Modified-Since clients would get 304s
    // for every change until that day.
    it.each(['/feed.xml', '/atom.xml', '/feed.json', '/articles/a', '/'])('GET %s sends a Last-Modified no later than its Date', async (path) => {
      const site = await createTestSite({ 'a.md': article({ date: '2026-11-20T10:00:00+01:00', updated: '2099-01-01T00:00:00Z' }) }, { basePath })
      try {
        const response = await request(site.app).get(`${basePath}${path}`)
        expect(response.status).toBe(200)
        const lastModified = Date.parse(response.headers['last-modified'] as string)
        expect(lastModified).toBeGreaterThan(Date.parse('2026-11-20T09:00:00Z'))
        expect(lastModified).toBeLessThanOrEqual(Date.parse(response.headers.date as string))
      } finally {
        await site.dispose()
      }
    })
  })

  describe('the Date header', () => {
    // Node's own Date is a string renewed by a timer once a second, which lags on a busy
    // machine: Date then fell a second before a Last-Modified taken from the clock.
    it('GET /feed.xml sends a Date read from the clock its Last-Modified was taken from', async () => {
      const site = await createTestSite({ 'a.md': article({ date: '2026-11-20T10:00:00+01:00', updated: '2099-01-01T00:00:00Z' }) }, { basePath })
      vi.useFakeTimers({ toFake: ['Date'], now: new Date('2031-05-06T07:08:09.500Z') })
      try {
        const response = await request(site.app).get(`${basePath}/feed.xml`)
        expect([response.headers.date, response.headers['last-modified']]).toEqual(['Tue, 06 May 2031 07:08:09 GMT', 'Tue, 06 May 2031 07:08:09 GMT'])
      } finally {
        vi.useRealTimers()
        await site.dispose()
      }
    })
  })

  describe('Last-Modified after an article is removed', () => {
    // The feed changes though none of the articles it still holds did: If-Modified-Since
    // clients must not get a 304 for it.
    it.each(['/feed.xml', '/atom.xml', '/feed.json', '/'])('GET %s moves to the time of the removal', async (path) => {
      const site = await createTestSite(
        {
          'kept.md': article({ title: '"Gardé"', date: '2026-11-21T10:00:00+01:00' }),
          'removed.md': article({ title: '"Retiré"', date: '2026-11-20T10:00:00+01:00' }),
        },
        { basePath, watch: true },
      )
      try {
        const before = await validatorsOn(site, path)
        expect(before.lastModified).toBe('Sat, 21 Nov 2026 09:00:00 GMT')
        await rm(join(site.contentDir, 'removed.md'))
        const after = await waitFor(async () => {
          const validators = await validatorsOn(site, path)
          return validators.etag === before.etag ? undefined : validators
        }, { what: `${path} without the removed article` })
        expect(after.lastModified).toBe(testNow.toUTCString())
        expect((await request(site.app).get(`${basePath}${path}`).set('If-Modified-Since', before.lastModified)).status).toBe(200)
        // The remaining article's own page did not change.
        expect((await validatorsOn(site, '/articles/kept')).lastModified).toBe('Sat, 21 Nov 2026 09:00:00 GMT')
      } finally {
        await site.dispose()
      }
    })
  })

  async function validatorsOn(target: TestSite, path: string): Promise<{ etag: string; lastModified: string }> {
    const response = await request(target.app).get(`${basePath}${path}`).set('Accept-Encoding', 'identity')
    expect(response.status).toBe(200)
    return { etag: response.headers.etag as string, lastModified: response.headers['last-modified'] as string }
  }
})
