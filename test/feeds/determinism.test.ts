import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { child, children, ns, text } from '../helpers/parse-xml.js'
import { article, createTestSite, type TestSite } from '../helpers/test-site.js'
import { openBundledSite, type BundledSite } from '../fixtures/bundled-site.js'
import { fetchFeeds, getText, rssChannel, rssItems } from '../fixtures/read-feeds.js'

// Readers and caches compare bytes: the same content must give the same bytes, whatever
// the time of the request, and a feed's date must be its newest article's, never "now".

const paths = [
  '/feed.xml',
  '/atom.xml',
  '/feed.json',
  '/tags/e-commerce/feed.xml',
  '/tags/e-commerce/atom.xml',
  '/tags/e-commerce/feed.json',
  '/authors/la-redaction/feed.xml',
  '/articles/amazon-operation-ratatouille',
  '/articles/credits-in-feed-readers',
  '/',
]

describe('two renders of the bundled content', () => {
  let first: BundledSite
  let second: BundledSite

  beforeAll(async () => {
    // Two independent sites (own store, renderer and caches), read at different times.
    first = await openBundledSite(new Date('2026-11-26T12:00:00Z'))
    second = await openBundledSite(new Date('2027-06-01T00:00:00Z'))
  })
  afterAll(async () => {
    await first.close()
    await second.close()
  })

  it.each(paths)('give identical bytes for %s', async (path) => {
    expect(await getText(second.app, path)).toBe(await getText(first.app, path))
  })

  it('date the feeds by the newest article, not by the clock', async () => {
    const feeds = await fetchFeeds(second.app)
    // « Ratatouille », 2026-11-26T09:00:00+01:00, is the newest change of the bundled content.
    expect(text(child(rssChannel(feeds.rss), null, 'lastBuildDate'))).toBe('Thu, 26 Nov 2026 08:00:00 GMT')
    expect(text(child(feeds.atom.documentElement!, ns.atom, 'updated'))).toBe('2026-11-26T08:00:00.000Z')
  })
})

describe('feed dates', () => {
  let site: TestSite

  beforeAll(async () => {
    site = await createTestSite({
      'old-but-updated.md': article({ title: '"Old, updated"', date: '2026-11-18T10:00:00Z', updated: '2026-11-24T10:00:00Z', tags: '[Edited]' }),
      'newest-published.md': article({ title: '"Newest"', date: '2026-11-22T10:00:00Z' }),
      'tie-b.md': article({ title: '"Tie B"', date: '2026-11-20T10:00:00Z' }),
      'tie-a.md': article({ title: '"Tie A"', date: '2026-11-20T10:00:00Z' }),
    })
  })
  afterAll(() => site.dispose())

  it('take the newest change, an update included, as the feed date', async () => {
    const feeds = await fetchFeeds(site.app)
    expect(text(child(rssChannel(feeds.rss), null, 'lastBuildDate'))).toBe('Tue, 24 Nov 2026 10:00:00 GMT')
    expect(text(child(feeds.atom.documentElement!, ns.atom, 'updated'))).toBe('2026-11-24T10:00:00.000Z')
  })

  it('give each entry its publication and update dates', async () => {
    const feeds = await fetchFeeds(site.app)
    const entry = children(feeds.atom.documentElement!, ns.atom, 'entry').find((candidate) => text(child(candidate, ns.atom, 'id')).endsWith('/old-but-updated'))!
    expect([text(child(entry, ns.atom, 'published')), text(child(entry, ns.atom, 'updated'))]).toEqual(['2026-11-18T10:00:00.000Z', '2026-11-24T10:00:00.000Z'])
    const item = feeds.json.items.find((candidate) => candidate.id.endsWith('/old-but-updated'))!
    expect([item.date_published, item.date_modified]).toEqual(['2026-11-18T10:00:00.000Z', '2026-11-24T10:00:00.000Z'])
    expect(feeds.json.items.find((candidate) => candidate.id.endsWith('/tie-a'))!.date_modified).toBeUndefined()
  })

  it('sort articles newest first, equal dates by slug', async () => {
    const feeds = await fetchFeeds(site.app)
    expect(rssItems(feeds.rss).map((item) => text(child(item, null, 'title')))).toEqual(['Newest', 'Tie A', 'Tie B', 'Old, updated'])
  })

  it("date a topic feed by its own newest change", async () => {
    const feeds = await fetchFeeds(site.app, '/tags/edited')
    expect(text(child(feeds.atom.documentElement!, ns.atom, 'updated'))).toBe('2026-11-24T10:00:00.000Z')
  })
})

describe('an empty site', () => {
  let site: TestSite

  beforeAll(async () => {
    site = await createTestSite({ 'draft.md': article({ draft: 'true' }) })
  })
  afterAll(() => site.dispose())

  it('writes stable dates instead of the time of the request', async () => {
    const feeds = await fetchFeeds(site.app)
    expect(children(rssChannel(feeds.rss), null, 'lastBuildDate')).toEqual([])
    expect(text(child(feeds.atom.documentElement!, ns.atom, 'updated'))).toBe('1970-01-01T00:00:00.000Z')
    expect(feeds.json.items).toEqual([])
    expect(rssItems(feeds.rss)).toEqual([])
  })
})
