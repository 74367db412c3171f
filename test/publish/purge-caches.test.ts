import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { pino } from 'pino'
import request from 'supertest'
import { afterEach, describe, expect, it } from 'vitest'
import { announceChanges } from '../../src/publish/announce-changes.js'
import { elements, parseHtml, visibleText } from '../fixtures/parse-html.js'
import { article, createTestSite, type TestSite } from '../helpers/test-site.js'
import { waitFor } from '../helpers/wait-for.js'

interface LogLine {
  level: number
  event?: string
  attempt?: number
  url?: string
  keys?: string
}

/** A stand-in cache on 127.0.0.1 that records each request and answers as `answer` says. */
async function startCache(answer: (req: IncomingMessage, res: ServerResponse, count: number) => void): Promise<{ url: string; server: Server; received: Array<{ method: string; xkey: string }> }> {
  const received: Array<{ method: string; xkey: string }> = []
  const server = createServer((req, res) => {
    received.push({ method: req.method ?? '', xkey: String(req.headers.xkey ?? '') })
    answer(req, res, received.length)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server, received }
}

const files = { 'a.md': article({ title: '"Avant"' }) }

describe('purging caches when content changes', () => {
  const cleanups: Array<() => Promise<void> | void> = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })

  async function setUp(answer: Parameters<typeof startCache>[0]) {
    const cache = await startCache(answer)
    cleanups.push(() => {
      cache.server.closeAllConnections()
      return new Promise<void>((resolve) => cache.server.close(() => resolve()))
    })
    const site: TestSite = await createTestSite(files, { watch: true })
    cleanups.push(() => site.dispose())
    const lines: LogLine[] = []
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) })
    const announcer = announceChanges({ config: { ...site.config, cache: { purgeUrls: [cache.url] } }, store: site.store, renderer: site.renderer, logger, retry: { retryDelaysMs: [10, 20, 40], timeoutMs: 200 } })
    cleanups.push(() => announcer.close())
    const edit = async () => {
      const version = site.store.catalog.version
      await site.write('a.md', article({ title: '"Après"' }))
      await waitFor(() => (site.store.catalog.version !== version ? true : undefined), { what: 'the edit' })
    }
    return { cache, site, lines, announcer, edit }
  }

  it('a cache that answers 503 twice gets the purge again with backoff, each failure logged', async () => {
    const { cache, lines, announcer, edit } = await setUp((_req, res, count) => {
      res.statusCode = count <= 2 ? 503 : 200
      res.end()
    })
    await edit()
    await announcer.idle()
    // Three attempts to deliver, then the repeat that drops what raced the first one.
    expect(cache.received.map((seen) => seen.method)).toEqual(['PURGE', 'PURGE', 'PURGE', 'PURGE'])
    expect(new Set(cache.received.map((seen) => seen.xkey))).toEqual(new Set(['article:a overflow']))
    const purgeLines = lines.filter((line) => line.event?.startsWith('cache purge'))
    expect(purgeLines.map((line) => [line.event, line.attempt])).toEqual([
      ['cache purge failed', 1],
      ['cache purge failed', 2],
      ['cache purge', 3],
      ['cache purge', 1],
    ])
  })

  it('a cache that never answers does not hold the edit back, and is tried a bounded number of times', async () => {
    // Accepts the request and never answers.
    const { cache, site, lines, announcer, edit } = await setUp(() => undefined)
    await edit()
    const page = await request(site.app).get('/articles/a')
    expect(visibleText(elements(parseHtml(page.text), 'h1')[0])).toBe('Après')
    await announcer.idle()
    // Four attempts at most (one that timed out before its connection was accepted, on a busy machine, never arrives).
    expect(cache.received.length).toBeGreaterThan(0)
    expect(cache.received.length).toBeLessThanOrEqual(4)
    const failures = lines.filter((line) => line.event === 'cache purge failed')
    expect(failures.map((line) => [line.level, line.attempt])).toEqual([
      [40, 1],
      [40, 2],
      [40, 3],
      [50, 4],
    ])
  }, 30_000)
})
