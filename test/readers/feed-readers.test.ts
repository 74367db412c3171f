/**
 * The reader-compatibility suite: the bundled site, served on 127.0.0.1, read by the
 * feed readers people use (Debian's feedparser, rss2email, newsboat and sfeed) and the
 * npm parsers programs use (rss-parser, feed-extractor, feedsmith), and what each one
 * gives a person checked: title, link, date, every author, the article's own text, every
 * picture credit, the sources, the tags, a thumbnail, the site icon, and a 304 when it polls.
 *
 * Its table is docs/readers.md: a test compares the two, and
 * `UPDATE_READER_TABLE=1 npx vitest run test/readers` writes it again.
 *
 * Without a Debian program its rows are skipped with a message on a developer's machine,
 * and fail in CI (CI set), where .ci/run installs them.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBundledSite, type RunningSite } from '../browser/start-bundled-site.js'
import { feedparserClient, isInstalled, readerClients, rss2emailClient, type FeedFile, type Mail, type ReadFeed, type ReaderClient } from './reader-clients.js'
import { bundledArticles, checkRead, findItem, formatReaderTable, type ReaderRow } from './reader-table.js'

const inCi = (process.env.CI ?? '') !== ''
const missing = readerClients.filter((client) => !isInstalled(client))
for (const client of missing) {
  if (!inCi) console.warn(`test/readers: ${client.name} skipped: ${client.program} is missing and CI is not set (install it with: apt-get install python3-feedparser rss2email newsboat sfeed)`)
}
const runnable = inCi ? readerClients : readerClients.filter(isInstalled)

const files: FeedFile[] = ['feed.xml', 'atom.xml', 'feed.json']
const tableFile = fileURLToPath(new URL('../../docs/readers.md', import.meta.url))
const tableStart = '<!-- reader-table: written by test/readers/feed-readers.test.ts -->\n'
const tableEnd = '<!-- reader-table end -->'
const ratatouille = bundledArticles[0]!

describe('feed readers on the bundled site', () => {
  let site: RunningSite
  const statuses: Array<{ path: string; status: number }> = []
  const rows: ReaderRow[] = []
  const reads = new Map<string, ReadFeed>()

  /** Read one feed with one client, and the status the server gave its second request. */
  async function readWith(client: ReaderClient, path: string, file: FeedFile): Promise<{ feed: ReadFeed; pollStatus: number | undefined }> {
    const before = statuses.length
    const feed = await client.read(`${site.baseUrl}${path}`, file)
    const asked = statuses.slice(before).filter((response) => response.path === path)
    return { feed, pollStatus: asked.length > 1 ? asked.at(-1)!.status : undefined }
  }

  beforeAll(async () => {
    const absent = readerClients.filter((client) => !isInstalled(client))
    if (inCi && absent.length > 0) throw new Error(`${absent.map((client) => client.program).join(', ')} missing and CI is set: .ci/run installs Debian's python3-feedparser, rss2email, newsboat and sfeed before the tests`)
    site = await startBundledSite({ onResponse: (req, res) => statuses.push({ path: req.url ?? '', status: res.statusCode }) })
    // One reader at a time, so each request the server counts belongs to the reader being run.
    for (const client of runnable) {
      for (const file of files) {
        const { feed, pollStatus } = await readWith(client, `/${file}`, file)
        reads.set(`${client.name} ${file}`, feed)
        rows.push(checkRead(client, file, feed, { baseUrl: site.baseUrl, pollStatus }))
      }
      const tag = await readWith(client, '/tags/amazon/feed.xml', 'feed.xml')
      reads.set(`${client.name} tag`, tag.feed)
    }
  }, 180_000)

  afterAll(async () => {
    await site?.close()
  })

  const xmlRows = runnable.flatMap((client) => (['feed.xml', 'atom.xml'] as const).map((file) => [client.name, file] as const))

  it.each(xmlRows)('%s reading %s gives every bundled article its title, link, date, authors, text, credits and sources', (name, file) => {
    const row = rows.find((candidate) => candidate.client === name && candidate.file === file)!
    expect(row.failure).toBeUndefined()
    expect(row.verdicts).toMatchObject({ title: 'yes', link: 'yes', date: 'yes', text: 'yes', credits: 'yes', sources: 'yes' })
    expect(row.verdicts.authors).not.toBe('no')
  })

  it.each(xmlRows)('%s reading %s shows the thumbnail, the site icon, tags as written and gets a 304 on its poll, where it has them', (name, file) => {
    const row = rows.find((candidate) => candidate.client === name && candidate.file === file)!
    for (const check of ['tags', 'thumbnail', 'icon', 'revalidation'] as const) expect([check, row.verdicts[check]]).not.toEqual([check, 'no'])
  })

  it.each(runnable.map((client) => [client.name]))('%s reading a tag feed finds the Ratatouille article with its text and credits', (name) => {
    const feed = reads.get(`${name} tag`)!
    expect(feed.failure).toBeUndefined()
    const item = findItem(feed, site.baseUrl, ratatouille)
    expect(item?.title).toBe(ratatouille.title)
    for (const expected of [ratatouille.phrase, ...ratatouille.credits]) expect(item?.text).toContain(expected)
  })

  it.each(runnable.map((client) => [client.name]))('%s reading JSON Feed is recorded, as read or with what it said', (name) => {
    const row = rows.find((candidate) => candidate.client === name && candidate.file === 'feed.json')!
    if (row.failure === undefined) expect(row.verdicts).toMatchObject({ title: 'yes', text: 'yes', credits: 'yes' })
    else expect(row.failure).not.toBe('')
  })

  it('docs/readers.md holds the table these reads make', () => {
    if (missing.length > 0 && !inCi) return
    const table = `${tableStart}\n${formatReaderTable(rows)}\n${tableEnd}`
    const committed = readFileSync(tableFile, 'utf8')
    const start = committed.indexOf(tableStart)
    const end = committed.indexOf(tableEnd)
    if (process.env.UPDATE_READER_TABLE === '1') {
      if (start === -1 || end === -1) throw new Error(`${tableFile} has no reader-table markers to write between`)
      writeFileSync(tableFile, `${committed.slice(0, start)}${table}${committed.slice(end + tableEnd.length)}`)
      return
    }
    expect(committed.slice(start, end + tableEnd.length), 'docs/readers.md is not what the readers show: run UPDATE_READER_TABLE=1 npx vitest run test/readers, and read the difference').toBe(table)
  })
})

describe.skipIf(!inCi && !isInstalled(feedparserClient))('feedparser on the bundled site', () => {
  let site: RunningSite
  beforeAll(async () => {
    site = await startBundledSite()
  })
  afterAll(async () => {
    await site?.close()
  })

  it.each(['feed.xml', 'atom.xml'])('parse(%s) gives no entry a picture description as its summary', async (file) => {
    const entries = await feedparserClient.readEntries(`${site.baseUrl}/${file}`)
    const alts = ["Amazon en France (image de remplacement)", 'A photo caption with its credit (placeholder)']
    expect(entries.map((entry) => entry.summary).filter((summary) => alts.includes(summary ?? ''))).toEqual([])
    // A text/plain summary is what rss2email's text mail prefers to the content.
    expect(entries.map((entry) => entry.summaryType)).toEqual(entries.map(() => 'text/html'))
  })

  it('parse(feed.xml) gives the two-author article both names as its author', async () => {
    const entries = await feedparserClient.readEntries(`${site.baseUrl}/feed.xml`)
    expect(entries.map((entry) => entry.author)).toContain('Ada Martin, Samir Haddad')
  })
})

describe.skipIf(!inCi && !isInstalled(rss2emailClient(false)))("rss2email's default text mail", () => {
  let site: RunningSite
  let mails: Mail[]
  beforeAll(async () => {
    site = await startBundledSite()
    mails = await rss2emailClient(false).readMails(`${site.baseUrl}/feed.xml`)
  }, 60_000)
  afterAll(async () => {
    await site?.close()
  })

  it('of the Ratatouille article holds its text, its three credits and its two sources', () => {
    const mail = mails.find((candidate) => candidate.subject === ratatouille.title)
    const body = (mail?.body ?? '').replace(/\s+/g, ' ')
    expect(mail?.type).toBe('text/plain')
    for (const expected of [ratatouille.phrase, '© Shutterstock', '© Christian Wiediger via Unsplash', '© Amazon', 'Bloomberg', 'The Daily Telegraph']) expect(body).toContain(expected)
  })
})
