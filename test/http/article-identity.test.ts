import { rename } from 'node:fs/promises'
import path from 'node:path'
import type { Document } from '@xmldom/xmldom'
import request from 'supertest'
import { afterEach, describe, expect, it } from 'vitest'
import { runCli } from '../../src/cli/main.js'
import { captureIo } from '../cli/captured-io.js'
import { atomEntries, fetchFeeds, rssItems, type Feeds } from '../fixtures/read-feeds.js'
import { child, ns, text } from '../helpers/parse-xml.js'
import { article, createTestSite, type TestSite, testId } from '../helpers/test-site.js'
import { waitFor } from '../helpers/wait-for.js'

const id = 'urn:uuid:4a6d1f52-8c1e-4f0b-9d3e-2b7c5e9a1f00'

/** Every item's id and link, in each format, as a reader keys them. */
function identities(feeds: Feeds): { rss: Array<[string, string | null, string]>; atom: Array<[string, string | null]>; json: Array<[string, string]> } {
  const linkOf = (entry: ReturnType<typeof atomEntries>[number]) => entry.getElementsByTagNameNS(ns.atom, 'link')[0]?.getAttribute('href') ?? null
  return {
    rss: rssItems(feeds.rss).map((item) => [text(child(item, null, 'guid')), child(item, null, 'guid').getAttribute('isPermaLink'), text(child(item, null, 'link'))]),
    atom: atomEntries(feeds.atom as Document).map((entry) => [text(child(entry, ns.atom, 'id')), linkOf(entry)]),
    json: feeds.json.items.map((item) => [item.id, item.url]),
  }
}

describe('permanent ids and earlier addresses', () => {
  let site: TestSite | undefined
  afterEach(async () => {
    await site?.dispose()
    site = undefined
  })

  it('uses the front matter id as RSS guid (not a permalink), Atom id and JSON Feed id, and the URL otherwise', async () => {
    site = await createTestSite({
      'with-id.md': article({ id, date: '2026-11-21T10:00:00Z' }),
      'without-id.md': article({ date: '2026-11-20T10:00:00Z' }),
    })
    expect(identities(await fetchFeeds(site.app))).toEqual({
      rss: [
        [id, 'false', 'https://news.example/articles/with-id'],
        ['https://news.example/articles/without-id', 'true', 'https://news.example/articles/without-id'],
      ],
      atom: [
        [id, 'https://news.example/articles/with-id'],
        ['https://news.example/articles/without-id', 'https://news.example/articles/without-id'],
      ],
      json: [
        [id, 'https://news.example/articles/with-id'],
        ['https://news.example/articles/without-id', 'https://news.example/articles/without-id'],
      ],
    })
  })

  it('keeps the id of a renamed file in all three feeds, and its old address answers 301 to the new one', async () => {
    site = await createTestSite({ 'ratatouille.md': article({ id, title: '"Ratatouille"' }) }, { watch: true })
    const before = identities(await fetchFeeds(site.app))
    // The editor renames the file and keeps its old address as an alias.
    await site.write('ratatouille.md', article({ id, title: '"Ratatouille"', aliases: '[ratatouille]' }))
    await rename(path.join(site.contentDir, 'ratatouille.md'), path.join(site.contentDir, 'operation-ratatouille.md'))
    await waitFor(async () => ((await request(site!.app).get('/articles/operation-ratatouille')).status === 200 ? true : undefined), { what: 'the new address' })
    const after = identities(await fetchFeeds(site.app))
    expect(after.rss.map(([guid]) => guid)).toEqual(before.rss.map(([guid]) => guid))
    expect(after.atom.map(([entryId]) => entryId)).toEqual([id])
    expect(after.json.map(([itemId]) => itemId)).toEqual([id])
    expect(after.json[0]![1]).toBe('https://news.example/articles/operation-ratatouille')
    const moved = await request(site.app).get('/articles/ratatouille')
    expect([moved.status, moved.headers.location]).toEqual([301, 'https://news.example/articles/operation-ratatouille'])
  })

  it.each([
    {
      what: 'the slug another article is published under',
      files: { 'a.md': article({ aliases: '[b]', id: testId(1) }), 'b.md': article({ id: testId(2) }) } as Record<string, string>,
      problem: { file: 'a.md', line: 4, field: 'aliases[0]', message: '"b" does not redirect here: b.md is published there' },
      address: '/articles/b',
      answer: [200, undefined],
    },
    {
      what: 'an alias an earlier file claims',
      files: { 'a.md': article({ aliases: '[old]', id: testId(1) }), 'z.md': article({ aliases: '[old]', id: testId(2) }) } as Record<string, string>,
      problem: { file: 'z.md', line: 4, field: 'aliases[0]', message: '"old" does not redirect here: a.md:4 claims it first' },
      address: '/articles/old',
      answer: [301, 'https://news.example/articles/a'],
    },
  ])('reports $what in /status and in check; $address answers $answer', async ({ files, problem, address, answer }) => {
    site = await createTestSite(files)
    const reported = (await request(site.app).get('/status')).body as { problems: unknown[] }
    expect(reported.problems).toEqual([{ ...problem, effect: 'published' }])
    const io = captureIo(site.dir)
    expect(await runCli(['check'], io)).toBe(1)
    expect(io.err()).toBe(`content/${problem.file}:${problem.line}: ${problem.field}: ${problem.message} (published)\n`)
    const response = await request(site.app).get(address)
    expect([response.status, response.headers.location]).toEqual(answer)
  })

  it.each([
    ['an id with a space', 'id: "urn:uuid:4a6d 1f52"', 'id'],
    ['a relative id', 'id: articles/ratatouille', 'id'],
    ['an alias with capitals', 'aliases: [Ratatouille]', 'aliases[0]'],
  ])('refuses %s', async (_what, line, field) => {
    site = await createTestSite({ 'a.md': `---\ntitle: A\ndate: 2026-11-20T10:00:00Z\n${line}\n---\nText.\n` })
    const reported = (await request(site.app).get('/status')).body as { problems: Array<{ field: string }> }
    expect(reported.problems.map((entry) => entry.field)).toEqual([field])
  })
})
