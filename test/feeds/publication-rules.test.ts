import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatProblem } from '../../src/content/format-problem.js'
import { child, children, ns, text } from '../helpers/parse-xml.js'
import { article, createTestSite, type TestSite, withoutWarnings } from '../helpers/test-site.js'
import { atomEntries, atomEntry, fetchFeeds, jsonItem, rssItem, rssItems, xmlLang, type Feeds } from '../fixtures/read-feeds.js'

// Which articles reach the feeds, and how editors learn about the ones that do not.

const url = (slug: string) => `https://news.example/articles/${slug}`

/** Article URLs in each format, in document order. */
function publishedIn(feeds: Feeds) {
  return {
    rss: rssItems(feeds.rss).map((item) => text(child(item, null, 'link'))),
    atom: atomEntries(feeds.atom).map((entry) => text(child(entry, ns.atom, 'id'))),
    json: feeds.json.items.map((item) => item.id),
  }
}

/** The same list of URLs for all three formats. */
function inAllFormats(urls: string[]) {
  return { rss: urls, atom: urls, json: urls }
}

describe('an invalid article next to valid ones', () => {
  let site: TestSite

  beforeAll(async () => {
    site = await createTestSite({
      'a.md': article({ date: 'yesterday' }),
      'b.md': article({ title: '"Valid B"', date: '2026-11-21T10:00:00+01:00' }),
      'c.md': article({ title: '"Valid C"' }),
    })
  })
  afterAll(() => site.dispose())

  it('still publishes the others in every format', async () => {
    expect(publishedIn(await fetchFeeds(site.app))).toEqual(inAllFormats([url('b'), url('c')]))
    expect((await request(site.app).get('/articles/a')).status).toBe(404)
  })

  it('reports the file, line, field, expectation and value', () => {
    expect(site.store.catalog.problems.map(formatProblem)).toEqual([
      'a.md:3: date: expected an ISO 8601 date with time zone such as "2026-11-26T09:30:00+01:00", got "yesterday"',
    ])
  })
})

describe('scheduled and draft articles', () => {
  const files = {
    'published.md': article({ title: '"Published"', date: '2026-11-20T10:00:00+01:00' }),
    'scheduled.md': article({ title: '"Scheduled"', date: '2026-12-01T08:00:00+01:00', tags: '[Later]' }),
    'draft.md': article({ title: '"Draft"', date: '2026-11-19T10:00:00+01:00', draft: 'true', tags: '[Hidden]' }),
  }
  let before: TestSite
  let after: TestSite

  beforeAll(async () => {
    before = await createTestSite(files)
    // The same files, read once the scheduled date has passed.
    after = await createTestSite(files, { now: new Date('2026-12-01T07:00:01Z') })
  })
  afterAll(async () => {
    await before.dispose()
    await after.dispose()
  })

  it('publishes neither before the date, in any format or page', async () => {
    expect(publishedIn(await fetchFeeds(before.app))).toEqual(inAllFormats([url('published')]))
    expect((await request(before.app).get('/articles/scheduled')).status).toBe(404)
    expect((await request(before.app).get('/articles/draft')).status).toBe(404)
    expect((await request(before.app).get('/tags/later/feed.xml')).status).toBe(404)
    expect((await request(before.app).get('/tags/hidden/feed.xml')).status).toBe(404)
  })

  it('remembers when the scheduled article is due', () => {
    expect(before.store.catalog.nextScheduled).toEqual(new Date('2026-12-01T07:00:00Z'))
    expect(before.store.catalog.problems).toEqual([])
  })

  it('publishes the scheduled article once now passes its date, never the draft', async () => {
    expect(publishedIn(await fetchFeeds(after.app))).toEqual(inAllFormats([url('scheduled'), url('published')]))
    expect((await request(after.app).get('/articles/scheduled')).status).toBe(200)
    expect((await request(after.app).get('/articles/draft')).status).toBe(404)
    expect(after.store.catalog.nextScheduled).toBeUndefined()
  })
})

describe('duplicate slugs', () => {
  const first = article({ title: '"First file"', date: '2026-11-19T10:00:00+01:00', slug: 'same' })
  const second = article({ title: '"Second file, newer"', date: '2026-11-21T10:00:00+01:00', slug: 'same' })

  it.each([
    ['written in name order', { 'a-first.md': first, 'z-second.md': second }],
    ['written in reverse order', { 'z-second.md': second, 'a-first.md': first }],
  ])('publish the file whose path sorts first and name both files (%s)', async (_order, files) => {
    const site = await createTestSite(files)
    try {
      const feeds = await fetchFeeds(site.app)
      expect(publishedIn(feeds)).toEqual(inAllFormats([url('same')]))
      expect(jsonItem(feeds.json, url('same')).title).toBe('First file')
      expect(withoutWarnings(site.audit.list().problems).map(formatProblem)).toEqual(['z-second.md:4: slug: duplicate slug "same", already used by a-first.md:4; this file is not published (held back)'])
    } finally {
      await site.dispose()
    }
  })

  it('counts a file-name slug and an explicit one as the same', async () => {
    const site = await createTestSite({ 'same.md': first.replace('slug: same\n', ''), 'other.md': second })
    try {
      expect(site.store.catalog.articles.map((entry) => entry.file)).toEqual(['other.md'])
      expect(withoutWarnings(site.audit.list().problems).map(formatProblem)).toEqual(['same.md: slug: duplicate slug "same", already used by other.md:4; this file is not published (held back)'])
    } finally {
      await site.dispose()
    }
  })
})

describe('tags, authors and languages', () => {
  let site: TestSite
  let feeds: Feeds

  beforeAll(async () => {
    site = await createTestSite({
      'accented.md': article({ title: '"Accented"', date: '2026-11-21T10:00:00+01:00', tags: '[É-commerce, e-commerce, E-Commerce]' }),
      'plain.md': article({ title: '"Plain"', date: '2026-11-20T10:00:00+01:00', tags: '[e-commerce]' }),
      'duo.md': article({
        title: '"Written by two"',
        date: '2026-11-19T10:00:00+01:00',
        author: '[{ name: Ada Martin, url: "https://people.example/ada" }, Samir Haddad]',
      }),
      'english.md': article({ title: '"In English"', date: '2026-11-18T10:00:00+01:00', lang: 'en-GB' }),
    })
    feeds = await fetchFeeds(site.app)
  })
  afterAll(() => site.dispose())

  it('makes "É-commerce", "e-commerce" and "E-Commerce" one tag, listed once per article, written as the article first writes it', () => {
    expect([...site.store.catalog.tags.keys()]).toEqual(['e-commerce'])
    expect(children(rssItem(feeds.rss, url('accented')), null, 'category').map(text)).toEqual(['É-commerce'])
    // The term, not a label: sfeed and others show only the term.
    expect(children(atomEntry(feeds.atom, url('accented')), ns.atom, 'category').map((category) => [category.getAttribute('term'), category.getAttribute('scheme'), category.hasAttribute('label')])).toEqual([['É-commerce', 'https://news.example/tags/', false]])
    expect(jsonItem(feeds.json, url('accented')).tags).toEqual(['É-commerce'])
  })

  it('publishes one tag feed with both articles in every format', async () => {
    expect(publishedIn(await fetchFeeds(site.app, '/tags/e-commerce'))).toEqual(inAllFormats([url('accented'), url('plain')]))
  })

  it('credits several authors in every format: one dc:creator with every name in RSS (readers keep the first or the last of several)', () => {
    expect(children(rssItem(feeds.rss, url('duo')), ns.dc, 'creator').map(text)).toEqual(['Ada Martin, Samir Haddad'])
    const atomAuthors = children(atomEntry(feeds.atom, url('duo')), ns.atom, 'author').map((author) => ({
      name: text(child(author, ns.atom, 'name')),
      uri: children(author, ns.atom, 'uri').map(text)[0],
    }))
    expect(atomAuthors).toEqual([
      { name: 'Ada Martin', uri: 'https://people.example/ada' },
      { name: 'Samir Haddad', uri: undefined },
    ])
    expect(jsonItem(feeds.json, url('duo')).authors).toEqual([{ name: 'Ada Martin', url: 'https://people.example/ada' }, { name: 'Samir Haddad' }])
  })

  it.each(['ada-martin', 'samir-haddad'])('gives author %s a feed with the article', async (slug) => {
    expect(publishedIn(await fetchFeeds(site.app, `/authors/${slug}`))).toEqual(inAllFormats([url('duo')]))
  })

  it('falls back to the site author', () => {
    expect(children(rssItem(feeds.rss, url('plain')), ns.dc, 'creator').map(text)).toEqual(['La rédaction'])
    expect(jsonItem(feeds.json, url('plain')).authors).toEqual([{ name: 'La rédaction' }])
  })

  it('marks an English article in a French site in every format', () => {
    expect(text(child(child(feeds.rss.documentElement!, null, 'channel'), null, 'language'))).toBe('fr')
    expect(children(rssItem(feeds.rss, url('english')), ns.dc, 'language').map(text)).toEqual(['en-GB'])
    expect(xmlLang(atomEntry(feeds.atom, url('english')))).toBe('en-GB')
    expect(feeds.json.language).toBe('fr')
    expect(jsonItem(feeds.json, url('english')).language).toBe('en-GB')
  })

  it('leaves French articles in the site language', () => {
    expect(children(rssItem(feeds.rss, url('plain')), ns.dc, 'language')).toEqual([])
    expect(xmlLang(atomEntry(feeds.atom, url('plain')))).toBe('fr')
    expect(jsonItem(feeds.json, url('plain')).language).toBe('fr')
  })
})

describe('body pictures without credit or alt text', () => {
  let site: TestSite

  beforeAll(async () => {
    site = await createTestSite({
      // Lines 1–4 are front matter, 5 is blank: the body's first line is line 6.
      'pictures.md': article({}, ['Intro.', '', '![Uncredited](a.png)', '', '![](b.png "© Credited")', '', 'Text ![Inline](c.png "") text.', ''].join('\n')),
    })
  })
  afterAll(() => site.dispose())

  it('reports each with the file line of the picture', () => {
    const published = site.store.catalog.bySlug.get('pictures')!
    expect(site.renderer.render(published).problems.map(formatProblem)).toEqual([
      'pictures.md:8: body: image "https://news.example/media/a.png" has no credit; write it as the image title: ![Uncredited](src "© Holder")',
      'pictures.md:10: body: image "https://news.example/media/b.png" has no alt text; describe the picture: ![what it shows](src "© Holder")',
      'pictures.md:12: body: image "https://news.example/media/c.png" has no credit; write it as the image title: ![Inline](src "© Holder")',
    ])
  })

  it('still publishes the article, its pictures without credit elements', async () => {
    const feeds = await fetchFeeds(site.app)
    const media = children(rssItem(feeds.rss, url('pictures')), ns.media, 'content')
    expect(media.map((content) => [content.getAttribute('url'), children(content, ns.media, 'credit').length])).toEqual([
      ['https://news.example/media/a.png', 0],
      ['https://news.example/media/b.png', 1],
      ['https://news.example/media/c.png', 0],
    ])
    expect(jsonItem(feeds.json, url('pictures'))._creditline.images.map((image) => image.credit)).toEqual([null, 'Credited', null])
  })
})
