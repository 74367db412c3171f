import type { AddressInfo } from 'node:net'
import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Server } from 'node:http'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { child, children, parseXml, text } from '../helpers/parse-xml.js'
import { article, createTestSite, type TestSite, withoutWarnings } from '../helpers/test-site.js'
import { waitFor } from '../helpers/wait-for.js'

interface FeedState {
  etag: string
  titles: string[]
}

/** A watched site with two articles, served on a port of its own: every test starts from it. */
async function startLiveSite(): Promise<{ site: TestSite; origin: string; close(): Promise<void> }> {
  const site = await createTestSite(
    {
      'first.md': article({ title: '"First"', date: '2026-11-20T10:00:00+01:00' }),
      'second.md': article({ title: '"Second"', date: '2026-11-21T10:00:00+01:00' }),
    },
    { watch: true },
  )
  const server: Server = site.app.listen(0, '127.0.0.1')
  await new Promise((resolve) => server.once('listening', resolve))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    site,
    origin,
    async close() {
      await new Promise((resolve) => server.close(resolve))
      await site.dispose()
    },
  }
}

describe('live content on a running server', () => {
  let site: TestSite
  let origin: string
  let close: () => Promise<void>

  beforeEach(async () => {
    ;({ site, origin, close } = await startLiveSite())
  })

  afterEach(() => close())

  async function readFeed(): Promise<FeedState> {
    const response = await fetch(`${origin}/feed.xml`)
    expect(response.status).toBe(200)
    const channel = child(parseXml(await response.text()).documentElement!, null, 'channel')
    return { etag: response.headers.get('etag') ?? '', titles: children(channel, null, 'item').map((item) => text(child(item, null, 'title'))) }
  }

  async function readStatus(): Promise<{ problems: Array<{ file: string; line?: number; field: string; message: string }> }> {
    const status = (await (await fetch(`${origin}/status`)).json()) as { problems: Array<{ file: string; line?: number; field: string; message: string; severity?: string }> }
    return { problems: withoutWarnings(status.problems) }
  }

  /** Wait until the feed satisfies `accept`, and return it. */
  function feedWhere(accept: (feed: FeedState) => boolean, what: string): Promise<FeedState> {
    return waitFor(async () => {
      const feed = await readFeed()
      return accept(feed) ? feed : undefined
    }, { what, timeoutMs: 5000 })
  }

  it('publishes an added article with a new ETag', async () => {
    const before = await readFeed()
    expect(before.titles).toEqual(['Second', 'First'])
    await site.write('third.md', article({ title: '"Third"', date: '2026-11-22T10:00:00+01:00' }))
    const after = await feedWhere((feed) => feed.titles.includes('Third'), 'the added article')
    expect(after.titles).toEqual(['Third', 'Second', 'First'])
    expect(after.etag).not.toBe(before.etag)
  })

  it('publishes an edit of an existing article', async () => {
    await site.write('first.md', article({ title: '"First, edited"', date: '2026-11-20T10:00:00+01:00' }))
    const feed = await feedWhere((state) => state.titles.includes('First, edited'), 'the edited title')
    expect(feed.titles).toEqual(['Second', 'First, edited'])
  })

  it('keeps the last good version of a broken edit and reports it until fixed', async () => {
    const before = await readFeed()
    await site.write('second.md', article({ title: '"Second, broken"', date: 'yesterday' }))
    const status = await waitFor(async () => {
      const current = await readStatus()
      return current.problems.some((problem) => problem.file === 'second.md') ? current : undefined
    }, { what: 'the problem in /status' })
    const problem = status.problems.find((entry) => entry.file === 'second.md')!
    expect(problem).toMatchObject({ field: 'date', line: 3 })
    expect(problem.message).toContain('expected an ISO 8601 date with time zone')
    expect(problem.message).toContain('last good version stays published')
    const during = await readFeed()
    expect(during.titles).toEqual(before.titles)

    await site.write('second.md', article({ title: '"Second, fixed"', date: '2026-11-21T10:00:00+01:00' }))
    await feedWhere((feed) => feed.titles.includes('Second, fixed'), 'the fixed article')
    const fixed = await readStatus()
    expect(fixed.problems.filter((entry) => entry.file === 'second.md')).toEqual([])
  })

  it('follows a rename: the article keeps its place under the new slug', async () => {
    await rename(path.join(site.contentDir, 'second.md'), path.join(site.contentDir, 'renamed.md'))
    await waitFor(async () => ((await fetch(`${origin}/articles/renamed`)).status === 200 ? true : undefined), { what: 'the renamed article page' })
    await waitFor(async () => ((await fetch(`${origin}/articles/second`)).status === 404 ? true : undefined), { what: 'the old slug to go' })
    expect((await readFeed()).titles).toEqual(['Second', 'First'])
  })

  it('removes a deleted article from every feed', async () => {
    await rm(path.join(site.contentDir, 'second.md'))
    const feed = await feedWhere((state) => !state.titles.includes('Second'), 'the deleted article to leave')
    expect(feed.titles).toEqual(['First'])
    const json = (await (await fetch(`${origin}/feed.json`)).json()) as { items: Array<{ title: string }> }
    expect(json.items.map((item) => item.title)).toEqual(['First'])
  })

  it('lists a picture without credit in /status as soon as the edit lands', async () => {
    await site.write('first.md', article({ title: '"First, edited"', date: '2026-11-20T10:00:00+01:00' }, 'Intro.\n\n![A parcel](images/parcel.svg)\n'))
    const status = await waitFor(async () => {
      const current = await readStatus()
      return current.problems.some((problem) => problem.file === 'first.md') ? current : undefined
    }, { what: 'the body problem in /status' })
    expect(status.problems.filter((problem) => problem.file === 'first.md')).toEqual([
      { file: 'first.md', line: 8, field: 'body', message: expect.stringContaining('has no credit'), effect: 'published' },
      { file: 'first.md', line: 8, field: 'body', message: 'image "https://news.example/media/images/parcel.svg" not found: the content folder has no file "images/parcel.svg"', effect: 'published' },
    ])
  })

  it('serves a picture added to the content folder', async () => {
    expect((await fetch(`${origin}/media/images/new.svg`)).status).toBe(404)
    await site.write('images/new.svg', '<svg xmlns="http://www.w3.org/2000/svg"/>')
    const response = await waitFor(async () => {
      const current = await fetch(`${origin}/media/images/new.svg`)
      return current.status === 200 ? current : undefined
    }, { what: 'the new picture' })
    expect(response.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8')
  })
})

describe('folders that come and go on a running server', () => {
  let site: TestSite

  beforeEach(async () => {
    site = await createTestSite({ 'first.md': article({ title: '"First"', date: '2026-11-20T10:00:00+01:00' }) }, { watch: true })
  })

  afterEach(() => site.dispose())

  const titles = () => site.store.catalog.articles.map((entry) => entry.title).sort()
  const titlesWhere = (accept: (current: string[]) => boolean, what: string) => waitFor(() => (accept(titles()) ? titles() : undefined), { what, timeoutMs: 5000 })

  /** Write two articles outside the content folder and move their folder in as `moved/`. */
  async function moveFolderIn(): Promise<void> {
    const outside = path.join(site.dir, 'outside')
    await mkdir(path.join(outside, 'deep'), { recursive: true })
    await writeFile(path.join(outside, 'a.md'), article({ title: '"Moved A"', date: '2026-11-22T10:00:00+01:00' }))
    await writeFile(path.join(outside, 'deep', 'b.md'), article({ title: '"Moved B"', date: '2026-11-22T11:00:00+01:00' }))
    await rename(outside, path.join(site.contentDir, 'moved'))
    await titlesWhere((current) => current.includes('Moved A') && current.includes('Moved B'), 'the moved-in articles')
  }

  it('publishes an article saved in a folder created while running, and its later edits', async () => {
    await site.write('2026/11/new.md', article({ title: '"In a new folder"', date: '2026-11-21T10:00:00+01:00' }))
    expect(await titlesWhere((current) => current.includes('In a new folder'), 'the article in the new folder')).toEqual(['First', 'In a new folder'])
    // The new folder is watched too: an edit inside it is published.
    await site.write('2026/11/new.md', article({ title: '"In a new folder, edited"', date: '2026-11-21T10:00:00+01:00' }))
    expect(await titlesWhere((current) => current.includes('In a new folder, edited'), 'the edit in the new folder')).toEqual(['First', 'In a new folder, edited'])
  })

  it('publishes the articles of a folder moved in, and its later edits', async () => {
    await moveFolderIn()
    expect(titles()).toEqual(['First', 'Moved A', 'Moved B'])
    await site.write('moved/deep/b.md', article({ title: '"Moved B, edited"', date: '2026-11-22T11:00:00+01:00' }))
    expect(await titlesWhere((current) => current.includes('Moved B, edited'), 'the edit in the moved-in folder')).toEqual(['First', 'Moved A', 'Moved B, edited'])
  })

  it('removes the articles of a folder deleted while running', async () => {
    await moveFolderIn()
    await rm(path.join(site.contentDir, 'moved'), { recursive: true })
    expect(await titlesWhere((current) => !current.some((title) => title.startsWith('Moved')), 'the deleted folder\'s articles to leave')).toEqual(['First'])
  })

  it('publishes a folder deleted and made again under the same name, and later edits in it', async () => {
    await site.write('2026/11/new.md', article({ title: '"Before"', date: '2026-11-21T10:00:00+01:00' }))
    await titlesWhere((current) => current.includes('Before'), 'the article before the folder is replaced')
    // What a deploy that copies a fresh folder does.
    await rm(path.join(site.contentDir, '2026'), { recursive: true })
    await site.write('2026/11/new.md', article({ title: '"Replaced"', date: '2026-11-21T10:00:00+01:00' }))
    await titlesWhere((current) => current.includes('Replaced'), 'the article of the new folder')
    await site.write('2026/11/new.md', article({ title: '"Replaced, edited"', date: '2026-11-21T10:00:00+01:00' }))
    expect(await titlesWhere((current) => current.includes('Replaced, edited'), 'an edit in the new folder')).toEqual(['First', 'Replaced, edited'])
  })

  it('publishes the content folder itself replaced whole, and later edits in it', async () => {
    const replacement = path.join(site.dir, 'replacement')
    await mkdir(replacement)
    await writeFile(path.join(replacement, 'fresh.md'), article({ title: '"Fresh"', date: '2026-11-24T10:00:00+01:00' }))
    await rename(site.contentDir, path.join(site.dir, 'content-old'))
    await rename(replacement, site.contentDir)
    expect(await titlesWhere((current) => current.includes('Fresh'), 'the new content folder')).toEqual(['Fresh'])
    await site.write('fresh.md', article({ title: '"Fresh, edited"', date: '2026-11-24T10:00:00+01:00' }))
    expect(await titlesWhere((current) => current.includes('Fresh, edited'), 'an edit in the new content folder')).toEqual(['Fresh, edited'])
  })
})

describe('a change made while the watcher is still scanning the folder', () => {
  it('is published once the scan ends', async () => {
    // Many files, so the watcher's first scan outlasts the load: a file saved before the
    // scan reached it sends no event.
    const files: Record<string, string> = {}
    for (let index = 0; index < 3000; index++) files[`articles/${String(index).padStart(4, '0')}.md`] = article({ title: `"Article ${index}"`, date: '2026-11-20T10:00:00+01:00', slug: `article-${index}` })
    const site = await createTestSite(files, { watch: true, waitForWatcher: false })
    try {
      await site.write('articles/2999.md', article({ title: '"Edited during the scan"', date: '2026-11-21T10:00:00+01:00', slug: 'article-2999' }))
      await site.store.watching
      const published = await waitFor(() => site.store.catalog.bySlug.get('article-2999')?.title === 'Edited during the scan' || undefined, { what: 'the edit made during the scan' })
      expect(published).toBe(true)
    } finally {
      await site.dispose()
    }
  })
})
