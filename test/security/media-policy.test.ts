import { readFile } from 'node:fs/promises'
import path from 'node:path'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../src/cli/main.js'
import { captureIo } from '../cli/captured-io.js'
import { article, createTestSite, type TestSite, siteAddresses } from '../helpers/test-site.js'
import { waitFor } from '../helpers/wait-for.js'

// Media are inert and sources are never served: only pictures of the allowlist are
// published under /media/, an SVG cannot run a script on this origin, and every answer
// carries headers that forbid sniffing, framing and anything a page does not need.

const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
const activeSvg = '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script><rect width="4" height="3"/></svg>\n'
const sourceText = 'SOURCE-TEXT-NEVER-SERVED'

const files = {
  'a.md': article({ title: '"Published"' }),
  'Upper.MD': article({ title: '"Upper-case extension"' }),
  'long.markdown': article({ title: '"Markdown extension"' }),
  'Secret-Draft.MD': article({ title: '"Secret draft"', draft: 'true' }, `${sourceText}\n`),
  'notes.md.bak': article({ title: '"Backup"' }, `${sourceText}\n`),
  'notes.md~': sourceText,
  '#notes.md#': sourceText,
  '.notes.md.swp': sourceText,
  'notes.md.orig': sourceText,
  'notes.md.tmp': sourceText,
  '.hidden.png': png,
  '.drafts/x.md': sourceText,
  'images/photo.PNG': png,
  'images/photo.png~': png,
  'images/lead.svg': activeSvg,
  'images/page.html': `<script>alert("${sourceText}")</script>`,
  'images/page.htm': sourceText,
  'images/data.xml': `<x>${sourceText}</x>`,
  'images/app.js': `alert("${sourceText}")`,
  'images/env.txt': sourceText,
  'images/unknown.bin': sourceText,
}

const policies = {
  page: "default-src 'none'; img-src 'self' https: http:; style-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  feed: "default-src 'none'; style-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  svg: "default-src 'none'; style-src 'unsafe-inline'; sandbox",
  other: "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
}

describe.each(siteAddresses)('the site $where', ({ basePath }) => {
  let site: TestSite
  beforeAll(async () => {
    site = await createTestSite(files, { basePath })
  })
  afterAll(() => site.dispose())

  describe('/media/ serves pictures of the allowlist only', () => {
    it.each(['/media/Secret-Draft.MD', '/media/notes.md.bak', '/media/a.md', '/media/Upper.MD', '/media/long.markdown', '/media/notes.md~', '/media/%23notes.md%23', '/media/.notes.md.swp', '/media/notes.md.orig', '/media/notes.md.tmp', '/media/.hidden.png', '/media/.drafts/x.md', '/media/images/photo.png~', '/media/images/page.html', '/media/images/page.htm', '/media/images/data.xml', '/media/images/app.js', '/media/images/env.txt', '/media/images/unknown.bin'])(
      'GET %s answers 404 without a byte of the file',
      async (url) => {
        const response = await request(site.app).get(`${basePath}${url}`)
        expect(response.status).toBe(404)
        expect(response.text).not.toContain(sourceText)
        expect(response.text).not.toContain('draft: true')
      },
    )

    it.each([
      ['/media/images/photo.PNG', 'image/png'],
      ['/media/images/lead.svg', 'image/svg+xml; charset=utf-8'],
    ])('GET %s answers 200 as %s', async (url, type) => {
      const response = await request(site.app).get(`${basePath}${url}`)
      expect(response.status).toBe(200)
      expect(response.headers['content-type']).toBe(type)
    })

    it('an SVG is sandboxed: no script of it runs on this origin', async () => {
      const response = await request(site.app).get(`${basePath}/media/images/lead.svg`)
      expect(response.headers['content-security-policy']).toBe(policies.svg)
      expect(response.headers['x-content-type-options']).toBe('nosniff')
    })

    it.each([
      ['/articles/upper', 'Upper-case extension'],
      ['/articles/long', 'Markdown extension'],
    ])('an article in a .MD or .markdown file is published: GET %s shows "%s"', async (url, title) => {
      const response = await request(site.app).get(`${basePath}${url}`)
      expect(response.status).toBe(200)
      expect(response.text).toContain(title)
    })

    it('a backup or draft is not published as an article', async () => {
      const feed = JSON.parse((await request(site.app).get(`${basePath}/feed.json`)).text) as { items: Array<{ title: string }> }
      expect(feed.items.map((item) => item.title).sort()).toEqual(['Markdown extension', 'Published', 'Upper-case extension'])
    })
  })

  describe('security headers on every answer', () => {
    it.each([
      ['GET', '/', {}, 200, policies.page],
      ['GET', '/articles/a', {}, 200, policies.page],
      ['GET', '/about', {}, 200, policies.page],
      ['GET', '/feed.xml', {}, 200, policies.feed],
      ['GET', '/atom.xml', { accept: 'text/html,application/xml;q=0.9,*/*;q=0.8' }, 200, policies.feed],
      ['GET', '/feed.json', {}, 200, policies.other],
      ['GET', '/feed.css', {}, 200, policies.other],
      ['GET', '/media/images/photo.PNG', {}, 200, policies.other],
      ['GET', '/media/images/lead.svg', {}, 200, policies.svg],
      ['GET', '/healthz', {}, 200, policies.other],
      ['GET', '/status', {}, 200, policies.other],
      ['GET', '/nothing-here', {}, 404, policies.other],
      ['GET', '/feed.json?page=x', {}, 400, policies.other],
      ['POST', '/', {}, 405, policies.other],
      ['GET', '/feed.xml', { 'if-none-match': '*' }, 304, policies.feed],
      ['GET', '/articles/a', { 'if-match': '"nope"' }, 412, policies.page],
    ] as const)('%s %s %j answers %i with nosniff, no framing and its policy', async (method, url, headers, status, policy) => {
      const response = await request(site.app)[method === 'GET' ? 'get' : 'post'](`${basePath}${url}`).set(headers)
      expect(response.status).toBe(status)
      expect(response.headers['x-content-type-options']).toBe('nosniff')
      expect(response.headers['x-frame-options']).toBe('DENY')
      expect(response.headers['referrer-policy']).toBe('strict-origin-when-cross-origin')
      expect(response.headers['content-security-policy']).toBe(policy)
    })
  })

  describe('the static export', () => {
    it("writes each file's security headers, as the server sends them, in headers.json and _headers", async () => {
      const out = path.join(site.dir, 'public')
      expect(await runCli(['build', '--out', out], captureIo(site.dir))).toBe(0)
      const manifest = JSON.parse(await readFile(path.join(out, 'headers.json'), 'utf8')) as { paths: Record<string, { headers: Record<string, string> }> }
      const security = ['Content-Security-Policy', 'Referrer-Policy', 'X-Content-Type-Options', 'X-Frame-Options']
      expect(Object.keys(manifest.paths)).toEqual(expect.arrayContaining(['/', '/feed.xml', '/media/images/lead.svg', '/media/images/photo.PNG']))
      expect(Object.keys(manifest.paths).filter((url) => url.startsWith('/media/')).sort()).toEqual(['/media/images/lead.svg', '/media/images/photo.PNG'])
      for (const [url, { headers }] of Object.entries(manifest.paths)) {
        const served = await request(site.app).get(`${basePath}${url}`)
        for (const name of security) expect(headers[name], `${name} of ${url}`).toBe(served.headers[name.toLowerCase()])
      }
      // _headers: every rule block carries them.
      const blocks = (await readFile(path.join(out, '_headers'), 'utf8')).split(/\n(?=\S)/).filter((block) => !block.startsWith('#'))
      expect(blocks.length).toBeGreaterThan(0)
      for (const block of blocks) {
        const fields = new Map(block.split('\n').slice(1).filter((line) => line.startsWith('  ')).map((line) => {
          const at = line.indexOf(':')
          return [line.slice(0, at).trim(), line.slice(at + 1).trim()] as const
        }))
        for (const name of security) expect(fields.get(name), `${name} in ${block.split('\n')[0]}`).toBeDefined()
        expect(fields.get('X-Content-Type-Options')).toBe('nosniff')
      }
    })
  })

  describe('while the server runs', () => {
    it('publishes a new .MD article and ignores a backup or swap file written beside it', async () => {
      const live = await createTestSite({ 'a.md': article({ title: '"First"' }) }, { basePath, watch: true })
      try {
        await live.write('a.md.bak', article({ title: '"Backup title"' }))
        await live.write('.a.md.swp', article({ title: '"Swap title"' }))
        await live.write('a.md~', article({ title: '"Tilde title"' }))
        await live.write('Later.MD', article({ title: '"Later"', date: '2026-11-22T10:00:00+01:00' }))
        const titles = await waitFor(async () => {
          const feed = JSON.parse((await request(live.app).get(`${basePath}/feed.json`)).text) as { items: Array<{ title: string }> }
          const seen = feed.items.map((item) => item.title)
          return seen.includes('Later') ? seen : undefined
        }, { what: 'the .MD article published' })
        expect(titles).toEqual(['Later', 'First'])
        for (const url of ['/media/a.md.bak', '/media/.a.md.swp', '/media/a.md~', '/media/Later.MD']) expect((await request(live.app).get(`${basePath}${url}`)).status, url).toBe(404)
      } finally {
        await live.dispose()
      }
    })
  })
})
