import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { utimes } from 'node:fs/promises'
import path from 'node:path'
import request from 'supertest'
import { afterEach, describe, expect, it } from 'vitest'
import { createLogger } from '../../src/logger.js'
import { announceChanges } from '../../src/publish/announce-changes.js'
import { children, ns, parseXml } from '../helpers/parse-xml.js'
import { article, createTestSite, type TestSite } from '../helpers/test-site.js'
import { waitFor } from '../helpers/wait-for.js'

/** A WebSub hub on 127.0.0.1 that records each publish ping. */
async function startHub(): Promise<{ url: string; server: Server; pings: Array<{ method: string; type: string; mode: string | null; url: string | null }> }> {
  const pings: Array<{ method: string; type: string; mode: string | null; url: string | null }> = []
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => (body += chunk.toString()))
    req.on('end', () => {
      const form = new URLSearchParams(body)
      pings.push({ method: req.method ?? '', type: String(req.headers['content-type']), mode: form.get('hub.mode'), url: form.get('hub.url') })
      res.statusCode = 204
      res.end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hub`, server, pings }
}

const files = {
  'a.md': article({ title: '"A"', date: '2026-11-21T10:00:00+01:00', tags: '[Alpha]' }),
  'b.md': article({ title: '"B"', date: '2026-11-20T10:00:00+01:00', tags: '[Beta]', author: 'Zoë' }),
  'c.md': article({ title: '"C"', date: '2026-11-19T10:00:00+01:00', tags: '[Gamma]', author: 'Zoë' }),
}

const feedsOf = (...prefixes: string[]) => prefixes.flatMap((prefix) => ['feed.xml', 'atom.xml', 'feed.json'].map((file) => `https://news.example${prefix}/${file}`)).sort()

describe('WebSub publishing', () => {
  const cleanups: Array<() => Promise<void> | void> = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })

  async function setUp() {
    const hub = await startHub()
    cleanups.push(() => new Promise<void>((resolve) => hub.server.close(() => resolve())))
    // Two articles per feed: C sits in the site's archive, outside its subscription feed.
    const site: TestSite = await createTestSite(files, { watch: true, configFile: { feed: { size: 2 }, websub: { hubs: [hub.url] } } })
    cleanups.push(() => site.dispose())
    const announcer = announceChanges({ config: site.config, store: site.store, renderer: site.renderer, logger: createLogger('silent') })
    cleanups.push(() => announcer.close())
    const publish = async (write: () => Promise<void>) => {
      const version = site.store.catalog.version
      hub.pings.length = 0
      await write()
      await waitFor(() => (site.store.catalog.version !== version ? true : undefined), { what: 'the change' })
      await announcer.idle()
      return hub.pings
    }
    return { hub, site, publish }
  }

  it.each([
    ['a new title for A', 'a.md', article({ title: '"A, corrigé"', date: '2026-11-21T10:00:00+01:00', tags: '[Alpha]' }), feedsOf('', '/tags/alpha', '/authors/la-redaction')],
    ['a new text for C (in no subscription feed of the site)', 'c.md', article({ title: '"C"', date: '2026-11-19T10:00:00+01:00', tags: '[Gamma]', author: 'Zoë' }, 'Un autre texte.\n'), feedsOf('/tags/gamma', '/authors/zoe')],
  ])('an edit (%s) pings the hub once per changed feed', async (_case, file, text, expected) => {
    const { site, publish } = await setUp()
    const pings = await publish(() => site.write(file, text))
    expect(pings.map((ping) => ping.url).sort()).toEqual(expected)
    for (const ping of pings) {
      expect(ping).toMatchObject({ method: 'POST', type: 'application/x-www-form-urlencoded', mode: 'publish' })
    }
  })

  it('every edit is announced again, and a save without a change is not', async () => {
    const { site, publish } = await setUp()
    const first = await publish(() => site.write('a.md', article({ title: '"A1"', date: '2026-11-21T10:00:00+01:00', tags: '[Alpha]' })))
    const second = await publish(() => site.write('a.md', article({ title: '"A2"', date: '2026-11-21T10:00:00+01:00', tags: '[Alpha]' })))
    expect(first.map((ping) => ping.url).sort()).toEqual(feedsOf('', '/tags/alpha', '/authors/la-redaction'))
    expect(second.map((ping) => ping.url).sort()).toEqual(feedsOf('', '/tags/alpha', '/authors/la-redaction'))
    // The same bytes saved again (a new modification time): a new article object, the same feeds.
    const later = new Date('2026-11-26T11:00:00Z')
    const third = await publish(async () => {
      await site.write('a.md', article({ title: '"A2"', date: '2026-11-21T10:00:00+01:00', tags: '[Alpha]' }))
      await utimes(path.join(site.contentDir, 'a.md'), later, later)
    })
    expect(third).toEqual([])
  })

  it('feeds advertise the hub beside their self link', async () => {
    const { site } = await setUp()
    const hub = site.config.websub.hubs[0]!
    for (const [feed, linkParent] of [['/feed.xml', 'rss'], ['/tags/alpha/atom.xml', 'atom']] as const) {
      const response = await request(site.app).get(feed)
      const root = parseXml(response.text).documentElement!
      const parent = linkParent === 'rss' ? children(root, null, 'channel')[0]! : root
      const links = children(parent, ns.atom, 'link').map((link) => [link.getAttribute('rel'), link.getAttribute('href')])
      expect(links, feed).toEqual(expect.arrayContaining([['self', `https://news.example${feed}`], ['hub', hub]]))
      expect(String(response.headers.link).split(', '), feed).toEqual(expect.arrayContaining([`<${hub}>; rel="hub"`]))
    }
    const json = JSON.parse((await request(site.app).get('/authors/zoe/feed.json')).text) as { hubs?: unknown }
    expect(json.hubs).toEqual([{ type: 'WebSub', url: hub }])
    // An archive is no subscription: no hub there.
    const archive = parseXml((await request(site.app).get('/archive/1/feed.xml')).text).documentElement!
    expect(children(children(archive, null, 'channel')[0]!, ns.atom, 'link').map((link) => link.getAttribute('rel'))).not.toContain('hub')
  })
})
