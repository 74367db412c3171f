import { describe, expect, it } from 'vitest'
import { buildCatalog } from '../../src/content/build-catalog.js'
import { compareNewestFirst, type Catalog, type ContentEntry } from '../../src/content/catalog.js'
import { lastChanged, newestChange } from '../../src/dates.js'
import { parseArticle } from '../../src/content/parse-article.js'
import { article } from '../helpers/test-site.js'

const now = new Date('2026-11-26T12:00:00Z')

/** A content entry as the loader makes it, from front-matter fields. */
function entry(file: string, fields: Record<string, string> = {}): ContentEntry {
  const result = parseArticle(file, article(fields), { language: 'fr', author: { name: 'La rédaction' } })
  return result.ok ? { file, article: result.article, problems: [] } : { file, article: undefined, problems: result.problems }
}

describe('buildCatalog', () => {
  it('publishes articles dated up to now, newest first, and skips drafts', () => {
    const catalog = buildCatalog(
      [
        entry('old.md', { date: '2026-11-01T00:00:00Z' }),
        entry('new.md', { date: '2026-11-25T00:00:00Z' }),
        entry('exactly-now.md', { date: '2026-11-26T12:00:00Z' }),
        entry('draft.md', { date: '2026-11-02T00:00:00Z', draft: 'true' }),
      ],
      new Map(),
      now,
    )
    expect(catalog.articles.map((published) => published.slug)).toEqual(['exactly-now', 'new', 'old'])
    expect([...catalog.bySlug.keys()].sort()).toEqual(['exactly-now', 'new', 'old'])
    expect(catalog.problems).toEqual([])
  })

  it('holds back future articles and remembers the earliest date', () => {
    const catalog = buildCatalog(
      [entry('later.md', { date: '2026-12-24T00:00:00Z' }), entry('soon.md', { date: '2026-11-27T00:00:00Z' }), entry('draft-soon.md', { date: '2026-11-26T13:00:00Z', draft: 'true' })],
      new Map(),
      now,
    )
    expect(catalog.articles).toEqual([])
    // A draft is never due, so it does not schedule a rebuild.
    expect(catalog.nextScheduled).toEqual(new Date('2026-11-27T00:00:00Z'))
  })

  // The others are listContentProblems' to report (test/fixtures/problem-folders.ts), with the lines of both files.
  it('keeps the slug for the file that sorts first, and publishes no other', () => {
    const catalog = buildCatalog([entry('z.md', { slug: 'same' }), entry('a.md', { slug: 'same' }), entry('m.md', { slug: 'same' })], new Map(), now)
    expect(catalog.articles.map((published) => published.file)).toEqual(['a.md'])
    expect(catalog.bySlug.get('same')?.file).toBe('a.md')
    expect(catalog.problems).toEqual([])
  })

  it('lets a draft or a scheduled article share a slug without a problem', () => {
    const catalog = buildCatalog([entry('a.md', { slug: 'same', draft: 'true' }), entry('b.md', { slug: 'same', date: '2027-01-01T00:00:00Z' }), entry('c.md', { slug: 'same' })], new Map(), now)
    expect(catalog.articles.map((published) => published.file)).toEqual(['c.md'])
    expect(catalog.problems).toEqual([])
  })

  it('passes on the problems of files that did not parse', () => {
    const catalog = buildCatalog([entry('bad.md', { date: 'yesterday' }), entry('good.md')], new Map(), now)
    expect(catalog.articles.map((published) => published.file)).toEqual(['good.md'])
    expect(catalog.problems.map((problem) => problem.file)).toEqual(['bad.md'])
  })

  it('groups tags and authors by slug, newest first, with the name as first met', () => {
    const catalog = buildCatalog(
      [
        entry('older.md', { date: '2026-11-01T00:00:00Z', tags: '[e-commerce]', author: 'Ada Martin' }),
        entry('newer.md', { date: '2026-11-20T00:00:00Z', tags: '[É-commerce, Photo]', author: '[Ada Martin, Samir Haddad]' }),
      ],
      new Map(),
      now,
    )
    const topics = (map: typeof catalog.tags) => [...map.values()].map((topic) => ({ slug: topic.slug, name: topic.name, articles: topic.articles.map((published) => published.slug) }))
    expect(topics(catalog.tags)).toEqual([
      { slug: 'e-commerce', name: 'É-commerce', articles: ['newer', 'older'] },
      { slug: 'photo', name: 'Photo', articles: ['newer'] },
    ])
    expect(topics(catalog.authors)).toEqual([
      { slug: 'ada-martin', name: 'Ada Martin', articles: ['newer', 'older'] },
      { slug: 'samir-haddad', name: 'Samir Haddad', articles: ['newer'] },
    ])
  })

  it('gives the same version for the same content in any order, and a new one on any change', () => {
    const a = entry('a.md')
    const b = entry('b.md', { title: '"B"' })
    const version = buildCatalog([a, b], new Map(), now).version
    expect(buildCatalog([b, a], new Map(), now).version).toBe(version)
    expect(buildCatalog([a, entry('b.md', { title: '"B, edited"' })], new Map(), now).version).not.toBe(version)
    const picture = { path: 'p.png', absolutePath: '/content/p.png', mtime: new Date('2026-11-01T00:00:00Z'), size: 10 }
    expect(buildCatalog([a, b], new Map([['p.png', picture]]), now).version).not.toBe(version)
  })
})

describe('buildCatalog(entries, media, now, previous) after an edit', () => {
  // A site with shared tags and authors, then one change at a time.
  const base: Record<string, ContentEntry> = {
    'a.md': entry('a.md', { date: '2026-11-01T00:00:00Z', tags: '[Commerce, Europe]' }),
    'b.md': entry('b.md', { date: '2026-11-05T00:00:00Z', tags: '[Commerce]', author: 'Jeanne Martin' }),
    'c.md': entry('c.md', { date: '2026-11-10T00:00:00Z', tags: '[Europe, Sport]', author: '[Jeanne Martin, Paul Durand]' }),
    'd.md': entry('d.md', { date: '2026-11-15T00:00:00Z', tags: '[Sport]' }),
    'later.md': entry('later.md', { date: '2026-11-28T00:00:00Z', tags: '[Avenir]' }),
  }
  const edits: Array<[string, Record<string, ContentEntry | undefined>, Date?]> = [
    ['a new date moves the article', { 'a.md': entry('a.md', { date: '2026-11-20T00:00:00Z', tags: '[Commerce, Europe]' }) }],
    ['a new tag creates a topic', { 'b.md': entry('b.md', { date: '2026-11-05T00:00:00Z', tags: '[Commerce, Nouveau]', author: 'Jeanne Martin' }) }],
    ['a removed tag empties a topic', { 'd.md': entry('d.md', { date: '2026-11-15T00:00:00Z' }) }],
    ['a new author', { 'a.md': entry('a.md', { date: '2026-11-01T00:00:00Z', tags: '[Commerce, Europe]', author: 'Zoé' }) }],
    ['a deleted file', { 'c.md': undefined }],
    ['a new file', { 'e.md': entry('e.md', { date: '2026-11-12T00:00:00Z', tags: '[Europe]' }) }],
    ['a draft', { 'b.md': entry('b.md', { date: '2026-11-05T00:00:00Z', tags: '[Commerce]', author: 'Jeanne Martin', draft: 'true' }) }],
    ['a duplicate slug', { 'z.md': entry('z.md', { slug: 'a', tags: '[Commerce]' }) }],
    ['a broken file', { 'd.md': entry('d.md', { date: 'hier' }) }],
    ['only the same objects', {}],
    ['a scheduled article coming due', {}, new Date('2026-11-29T00:00:00Z')],
    ['many changes at once', Object.fromEntries(Array.from({ length: 70 }, (_, index) => [`m${index}.md`, entry(`m${index}.md`, { date: '2026-11-11T00:00:00Z', tags: '[Europe]' })]))],
    ['a renamed slug', { 'b.md': entry('b.md', { date: '2026-11-05T00:00:00Z', tags: '[Commerce]', author: 'Jeanne Martin', slug: 'b-renamed' }) }],
    ['equal dates, ordered by slug', { 'e.md': entry('e.md', { date: '2026-11-10T00:00:00Z', tags: '[Europe, Sport]' }), 'ba.md': entry('ba.md', { date: '2026-11-10T00:00:00Z', tags: '[Sport]' }) }],
    ['a title, nothing else', { 'c.md': entry('c.md', { date: '2026-11-10T00:00:00Z', tags: '[Europe, Sport]', author: '[Jeanne Martin, Paul Durand]', title: '"Autre"' }) }],
    ['a broken edit that keeps the last good version', { 'b.md': { ...base['b.md']!, problems: [{ file: 'b.md', field: 'date', message: 'not a date (the last good version stays published)' }] } }],
    ['an edit once a scheduled article came due', { 'a.md': entry('a.md', { date: '2026-11-01T00:00:00Z', tags: '[Commerce, Europe]', title: '"Plus tard"' }) }, new Date('2026-11-29T00:00:00Z')],
    ['two edits, one of them broken', { 'a.md': entry('a.md', { date: '2026-11-02T00:00:00Z', tags: '[Commerce]' }), 'c.md': { ...base['c.md']!, problems: [{ file: 'c.md', field: 'title', message: 'missing' }] } }],
  ]

  /** The site after `changes`, in file order as the store keeps it. */
  function applyEdits(changes: Record<string, ContentEntry | undefined>): ContentEntry[] {
    return Object.entries({ ...base, ...changes })
      .filter((pair): pair is [string, ContentEntry] => pair[1] !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([, value]) => value)
  }

  it.each(edits)('with %s, equals a catalog built from scratch', (_name, changes, at = now) => {
    const previous = buildCatalog(Object.values(base), new Map(), now)
    const after = applyEdits(changes)
    expectSameCatalog(buildCatalog(after, new Map(), at, previous), buildCatalog(after, new Map(), at), previous)
  })

  it.each(edits)('with %s and the changed files named, equals a catalog built from scratch', (_name, changes, at = now) => {
    const previous = buildCatalog(Object.values(base), new Map(), now)
    const after = applyEdits(changes)
    expectSameCatalog(buildCatalog(after, new Map(), at, previous, new Map(Object.entries(changes))), buildCatalog(after, new Map(), at), previous)
  })

  // Edits that keep each slug published: the other entries need not be read.
  it.each(edits.filter(([name]) => ['a new date moves the article', 'a new tag creates a topic', 'a removed tag empties a topic', 'a new author', 'a title, nothing else', 'a broken edit that keeps the last good version', 'two edits, one of them broken'].includes(name)))(
    'with %s and the changed files named, reads no other entry',
    (_name, changes, at = now) => {
      const previous = buildCatalog(Object.values(base), new Map(), now)
      const unread: Iterable<ContentEntry> = {
        [Symbol.iterator]: () => {
          throw new Error('the entries were read')
        },
      }
      expectSameCatalog(buildCatalog(unread, new Map(), at, previous, new Map(Object.entries(changes))), buildCatalog(applyEdits(changes), new Map(), at), previous)
    },
  )

  function expectSameCatalog(incremental: Catalog, scratch: Catalog, previous: Catalog): void {
    expect(incremental.articles).toEqual(scratch.articles)
    expect(incremental.articles.map((article) => article.file)).toEqual(scratch.articles.map((article) => article.file))
    for (const kind of ['tags', 'authors'] as const) {
      const listed = (catalog: typeof scratch) => Object.fromEntries([...catalog[kind]].map(([slug, topic]) => [slug, { name: topic.name, files: topic.articles.map((article) => article.file) }]))
      expect(listed(incremental)).toEqual(listed(scratch))
    }
    // A new version exactly when the published content changed.
    expect(incremental.version === previous.version).toBe(scratch.version === previous.version)
    expect(incremental.problems).toEqual(scratch.problems)
    expect(incremental.nextScheduled).toEqual(scratch.nextScheduled)
    expect([...incremental.bySlug].sort()).toEqual([...scratch.bySlug].sort())
  }
})

describe('buildCatalog after a chain of edits', () => {
  it('buildCatalog(entries, media, now, previous) edit after edit equals a catalog built from scratch each time', () => {
    const files = new Map<string, ContentEntry>()
    const days = ['01', '09', '03', '12', '05', '12', '07']
    const tagPool = ['Commerce', 'Europe', 'Sport', 'Été']
    let catalog = buildCatalog([], new Map(), now)
    for (let step = 0; step < 40; step++) {
      const file = `f${step % 7}.md`
      if (step % 11 === 10) files.delete(file)
      else files.set(file, entry(file, { date: `2026-11-${days[(step * 3) % 7]}T00:00:00Z`, tags: `[${tagPool[step % 4]}, ${tagPool[(step * 5) % 4]}]`, title: `"Étape ${step}"` }))
      const sorted = [...files.values()].sort((a, b) => (a.file < b.file ? -1 : 1))
      catalog = buildCatalog(sorted, new Map(), now, catalog)
      const scratch = buildCatalog(sorted, new Map(), now)
      expect(catalog.articles.map((article) => article.title), `step ${step}`).toEqual(scratch.articles.map((article) => article.title))
      for (const kind of ['tags', 'authors'] as const) {
        const listed = (built: typeof scratch) => Object.fromEntries([...built[kind]].map(([slug, topic]) => [slug, [topic.name, ...topic.articles.map((article) => article.title)]]))
        expect(listed(catalog), `step ${step}`).toEqual(listed(scratch))
      }
    }
  })
})

describe('buildCatalog after a chain of named edits', () => {
  it('buildCatalog(entries, media, now, previous, changed) 300 edits in a row equal a catalog built from scratch each time', () => {
    // More distinct slugs edited than the slug lookup gathers before it is copied whole (256).
    const count = 300
    const files = new Map<string, ContentEntry>()
    for (let index = 0; index < count; index++) files.set(`f${String(index).padStart(3, '0')}.md`, entry(`f${String(index).padStart(3, '0')}.md`, { date: '2026-11-01T00:00:00Z', tags: '[Europe]' }))
    let catalog = buildCatalog(files.values(), new Map(), now)
    for (let step = 0; step < 2 * count; step++) {
      const file = `f${String((step * 7) % count).padStart(3, '0')}.md`
      const edited = entry(file, { date: `2026-11-${String((step % 20) + 1).padStart(2, '0')}T00:00:00Z`, tags: step % 2 ? '[Europe]' : '[Europe, Sport]', title: `"Étape ${step}"` })
      files.set(file, edited)
      catalog = buildCatalog(files.values(), new Map(), now, catalog, new Map([[file, edited]]))
      if (step % 25 !== 24 && step !== 256 && step !== 257) continue
      const scratch = buildCatalog(files.values(), new Map(), now)
      expect(catalog.articles.map((article) => article.title), `step ${step}`).toEqual(scratch.articles.map((article) => article.title))
      expect([...catalog.bySlug], `step ${step}`).toEqual([...scratch.bySlug])
      expect([...catalog.bySlug.keys()]).toEqual([...scratch.bySlug.keys()])
      expect(catalog.bySlug.get(edited.article!.slug)).toBe(edited.article)
      expect([catalog.bySlug.size, catalog.bySlug.has('f000'), catalog.bySlug.has('nope')]).toEqual([count, true, false])
    }
  })
})

describe('compareNewestFirst', () => {
  it.each([
    ['a newer article first', { date: '2026-11-20T00:00:00Z' }, { date: '2026-11-10T00:00:00Z' }, -1],
    ['an older article last', { date: '2026-11-10T00:00:00Z' }, { date: '2026-11-20T00:00:00Z' }, 1],
    ['equal dates by slug', { date: '2026-11-20T00:00:00Z', slug: 'a' }, { date: '2026-11-20T00:00:00Z', slug: 'b' }, -1],
  ])('compareNewestFirst sorts %s', (_case, first, second, sign) => {
    expect(Math.sign(compareNewestFirst(entry('x.md', first).article!, entry('y.md', second).article!))).toBe(sign)
  })
})

describe('lastChanged and newestChange', () => {
  it.each([
    ['the publication date without an update', {}, '2026-11-20T09:00:00.000Z'],
    ['a later update', { updated: '2026-11-22T00:00:00Z' }, '2026-11-22T00:00:00.000Z'],
  ])('lastChanged takes %s', (_case, fields, changed) => {
    expect(lastChanged(entry('a.md', fields).article!).toISOString()).toBe(changed)
  })

  it('lastChanged takes the publication date over an earlier "update" (which parseArticle refuses)', () => {
    const article = { ...entry('a.md').article!, updated: new Date('2026-11-01T00:00:00Z') }
    expect(lastChanged(article).toISOString()).toBe('2026-11-20T09:00:00.000Z')
  })

  it('newestChange is the latest lastChanged, or undefined for no article', () => {
    const articles = [entry('a.md', { updated: '2026-11-23T00:00:00Z' }).article!, entry('b.md', { date: '2026-11-22T00:00:00Z' }).article!]
    expect(newestChange(articles)?.toISOString()).toBe('2026-11-23T00:00:00.000Z')
    expect(newestChange([])).toBeUndefined()
  })
})
