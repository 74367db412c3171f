import request from 'supertest'
import { afterEach, describe, expect, it } from 'vitest'
import { runCli } from '../../src/cli/main.js'
import { formatProblem, type Problem } from '../../src/content/format-problem.js'
import { loadContent } from '../../src/content/load-content.js'
import { captureIo } from '../cli/captured-io.js'
import { badShapes } from '../helpers/file-shapes.js'
import { article, createTestSite, type TestSite, withoutWarnings, testId } from '../helpers/test-site.js'

const defaults = { language: 'fr', author: { name: 'La rédaction' } }

/** Files of unusual shape that are articles all the same. */
const goodShapes: Array<[name: string, content: string | Buffer]> = [
  ['front matter only, no body', article({}, '')],
  ['front matter only, no final line break', article({}, '').trimEnd()],
  ['a UTF-8 byte-order mark', `\uFEFF${article()}`],
  ['Windows line endings', article().replaceAll('\n', '\r\n')],
  ['a byte-order mark and Windows line endings', `\uFEFF${article()}`.replaceAll('\n', '\r\n')],
]

/** Every problem of a site, formatted, from /status. */
async function statusProblems(site: TestSite): Promise<string[]> {
  const response = await request(site.app).get('/status').expect(200)
  return withoutWarnings((response.body as { problems: Problem[] }).problems).map(formatProblem)
}

describe('a file of any shape is an article or one problem, never a crash', () => {
  let site: TestSite | undefined
  afterEach(async () => {
    await site?.dispose()
    site = undefined
  })

  it.each(badShapes)('a content folder with %s and a valid article: the valid one is published, the other is a problem', async (_name, content, problem) => {
    site = await createTestSite({ 'bad.md': content, 'ok.md': article({ title: '"Publié"', id: testId(1) }) })
    expect(await statusProblems(site)).toEqual([`${problem} (held back)`])
    await request(site.app).get('/articles/ok').expect(200)

    const { entries } = await loadContent(site.contentDir, defaults)
    expect(entries.map((entry) => [entry.file, entry.problems.map(formatProblem), entry.article?.title])).toEqual([
      ['bad.md', [problem], undefined],
      ['ok.md', [], 'Publié'],
    ])

    const io = captureIo(site.dir)
    expect(await runCli(['check'], io)).toBe(1)
    expect(io.err()).toBe(`content/${problem} (held back)\n`)
    expect(io.out()).toBe('2 articles checked, 1 problem in 1 file\n')
  })

  it.each(goodShapes)('a content folder with %s publishes it', async (_name, content) => {
    site = await createTestSite({ 'odd.md': content })
    expect(await statusProblems(site)).toEqual([])
    const page = await request(site.app).get('/articles/odd').expect(200)
    expect(page.text).toContain('Un titre')
    const io = captureIo(site.dir)
    expect(await runCli(['check'], io)).toBe(0)
  })

  it('a body that is not UTF-8 is reported with its line, and none of its bytes reach a feed', async () => {
    const text = Buffer.concat([Buffer.from(article({ title: '"Été"', id: testId(1) }, '')), Buffer.from('Un m\xe9rite.\n', 'latin1')])
    site = await createTestSite({ 'body.md': text })
    // Held back rather than published without its text.
    const feed = await request(site.app).get('/feed.json').expect(200)
    expect((JSON.parse(feed.text) as { items: unknown[] }).items).toEqual([])
    await request(site.app).get('/articles/body').expect(503)
    const io = captureIo(site.dir)
    expect(await runCli(['check'], io)).toBe(1)
    expect(io.err()).toBe('content/body.md: body: cannot be read: not valid UTF-8 at line 7, column 5 (byte 0xE9): save the file as UTF-8 (held back)\n')
  })
})
