import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../src/cli/main.js'
import { captureIo } from '../cli/captured-io.js'
import { elements, parseHtml } from '../fixtures/parse-html.js'
import { atomEntries, fetchFeeds, rssItems } from '../fixtures/read-feeds.js'
import { child, ns, text } from '../helpers/parse-xml.js'
import { article, createTestSite, type TestSite, withoutWarnings } from '../helpers/test-site.js'

interface StatusProblem {
  severity?: string
  file: string
  line?: number
  field: string
  message: string
}

async function readProblems(site: TestSite): Promise<StatusProblem[]> {
  const response = await request(site.app).get('/status')
  expect(response.status).toBe(200)
  return withoutWarnings((response.body as { problems: StatusProblem[] }).problems)
}

// 10,000 levels: remark took 30 s to a minute for each document that held one, then overflowed the stack.
describe.each([
  ['lists', '- '],
  ['quotes', '> '],
  ['brackets', '['],
])('an article whose %s nest 10,000 levels deep', (what, marker) => {
  let site: TestSite
  beforeAll(async () => {
    site = await createTestSite({
      'deep.md': article({ title: '"Deep"', date: '2026-11-21T10:00:00+01:00' }, `Intro.\n\n${marker.repeat(10_000)}deep\n`),
      'good.md': article({ title: '"Good"' }, 'Un paragraphe.\n'),
    })
  })
  afterAll(() => site.dispose())

  it('leaves the feeds and the home page with the other articles', async () => {
    const feeds = await fetchFeeds(site.app)
    expect(rssItems(feeds.rss).map((item) => text(child(item, null, 'title')))).toEqual(['Good'])
    expect(atomEntries(feeds.atom).map((entry) => text(child(entry, ns.atom, 'title')))).toEqual(['Good'])
    expect(feeds.json.items.map((item) => item.title)).toEqual(['Good'])
    const home = await request(site.app).get('/')
    expect(home.status).toBe(200)
    expect(elements(parseHtml(home.text), 'h2').map((heading) => heading.textContent?.trim())).toEqual(['Good'])
  })

  it(`is a problem in /status that names the line (${what})`, async () => {
    await request(site.app).get('/feed.xml')
    expect((await readProblems(site)).filter((problem) => problem.file === 'deep.md')).toEqual([
      { file: 'deep.md', line: 8, field: 'body', message: `${what === 'brackets' ? 'brackets' : 'lists and quotes'} nest more than 100 levels deep; expected at most 100 (flatten them)`, effect: 'held back' },
    ])
  })

  it('is not worked on again by the next documents', async () => {
    await request(site.app).get('/feed.xml')
    const worked = site.renderer.renderCount
    for (const path of ['/atom.xml', '/feed.json', '/authors/la-redaction/feed.xml', '/articles/deep']) await request(site.app).get(path)
    expect(site.renderer.renderCount).toBe(worked)
  })

  it('answers its page with a 503 that no cache keeps, not a page without its text', async () => {
    const response = await request(site.app).get('/articles/deep')
    expect(response.status).toBe(503)
    expect(response.headers['cache-control']).toBe('no-store')
  })
})

describe('an article file over content.maxFileBytes', () => {
  const huge = article({ title: '"Huge"' }, 'Un long paragraphe. '.repeat(500))
  let site: TestSite
  beforeAll(async () => {
    site = await createTestSite(
      {
        'huge.md': huge,
        'good.md': article({ title: '"Good"' }),
      },
      { env: { MAX_ARTICLE_BYTES: '5000' } },
    )
  })
  afterAll(() => site.dispose())

  it('is a problem that gives its size and the limit, and the others are served', async () => {
    expect((await readProblems(site)).filter((problem) => problem.file === 'huge.md')).toEqual([
      { file: 'huge.md', line: 1, field: 'file', message: `is ${Buffer.byteLength(huge)} bytes; articles are limited to 5000 bytes (content.maxFileBytes)`, effect: 'held back' },
    ])
    const feeds = await fetchFeeds(site.app)
    expect(feeds.json.items.map((item) => item.title)).toEqual(['Good'])
    expect((await request(site.app).get('/articles/huge')).status).toBe(404)
  })

  it('is the same problem for check', async () => {
    const io = captureIo(site.dir, { MAX_ARTICLE_BYTES: '5000' })
    expect(await runCli(['check'], io)).toBe(1)
    expect(io.err().split('\n').filter((line) => line.includes('huge.md'))).toEqual([
      `content/huge.md:1: file: is ${Buffer.byteLength(huge)} bytes; articles are limited to 5000 bytes (content.maxFileBytes) (held back)`,
    ])
  })
})
