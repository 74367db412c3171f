import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../src/cli/main.js'
import { captureIo } from '../cli/captured-io.js'
import { slowListBody } from '../fixtures/problem-folders.js'
import { fetchFeeds } from '../fixtures/read-feeds.js'
import { article, createTestSite, testId, type TestSite } from '../helpers/test-site.js'

interface StatusProblem {
  file: string
  line?: number
  field: string
  message: string
  effect: string
}

const slowProblem = {
  file: 'slow.md',
  line: 6,
  field: 'body',
  message: 'takes more than 0.5 s to render; rendering an article is limited to 0.5 s (content.maxRenderSeconds): split it into shorter articles, or shorten its longest list, table or run of footnotes',
  effect: 'held back',
}

describe('an article whose body takes longer to render than content.maxRenderSeconds', () => {
  const env = { MAX_RENDER_SECONDS: '0.5' }
  let site: TestSite
  beforeAll(async () => {
    site = await createTestSite({ 'slow.md': article({ title: '"Slow"', id: testId(1), date: '2026-11-21T10:00:00+01:00' }, slowListBody), 'good.md': article({ title: '"Good"', id: testId(2) }) }, { env })
  })
  afterAll(() => site.dispose())

  it('leaves /healthz answering while it renders: /healthz completes before the first feed', async () => {
    const finished: string[] = []
    const feed = request(site.app).get('/feed.json').then((response) => {
      finished.push('/feed.json')
      return response
    })
    const health = await request(site.app).get('/healthz')
    finished.push('/healthz')
    expect(health.text).toBe('ok\n')
    expect((await feed).status).toBe(200)
    expect(finished).toEqual(['/healthz', '/feed.json'])
  })

  it('is held back: the feeds hold the other articles, its page is a 503 no cache keeps', async () => {
    const feeds = await fetchFeeds(site.app)
    expect(feeds.json.items.map((item) => item.title)).toEqual(['Good'])
    const page = await request(site.app).get('/articles/slow')
    expect(page.status).toBe(503)
    expect(page.headers['cache-control']).toBe('no-store')
  })

  it('is a problem in /status with its file, line and the limit', async () => {
    await site.audit.checked
    const { problems } = (await request(site.app).get('/status').expect(200)).body as { problems: StatusProblem[] }
    expect(problems).toEqual([slowProblem])
  })

  it('is rendered once: the next documents do not render it again', async () => {
    await request(site.app).get('/feed.xml')
    const rendered = site.renderer.renderCount
    for (const path of ['/atom.xml', '/', '/articles/slow', '/authors/la-redaction/feed.json']) await request(site.app).get(path)
    expect(site.renderer.renderCount).toBe(rendered)
  })

  it('is the same problem for check', async () => {
    const io = captureIo(site.dir, env)
    expect(await runCli(['check'], io)).toBe(1)
    expect(io.err()).toBe(`content/slow.md:6: body: ${slowProblem.message} (held back)\n`)
  })
})

describe('an article over content.maxRenderMB', () => {
  let site: TestSite
  beforeAll(async () => {
    site = await createTestSite({ 'slow.md': article({ title: '"Slow"', id: testId(1) }, slowListBody), 'long.md': article({ title: '"Long"', id: testId(2) }, 'Un paragraphe assez long pour le fil.\n\n'.repeat(1000)) }, { env: { MAX_RENDER_MB: '96', MAX_RENDER_SECONDS: '600' } })
  })
  afterAll(() => site.dispose())

  it('is a problem in /status, while a long article renders within the same limit', async () => {
    await site.audit.checked
    const { problems } = (await request(site.app).get('/status').expect(200)).body as { problems: StatusProblem[] }
    expect(problems).toEqual([
      {
        file: 'slow.md',
        line: 6,
        field: 'body',
        message: 'takes more than 96 MB to render; rendering an article is limited to 96 MB (content.maxRenderMB): split it into shorter articles, or shorten its longest list, table or run of footnotes',
        effect: 'held back',
      },
    ])
    expect((await fetchFeeds(site.app)).json.items.map((item) => item.title)).toEqual(['Long'])
  })
})
