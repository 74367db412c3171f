import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateAtomDocument, toAtomEntry, writeAtom } from '../../src/feeds/atom.js'
import { addFeedHistory } from '../../src/feeds/feed-history.js'
import { buildFeedDocument, paginate, siteScope, topicScope, type FeedDocument, type FeedFormat, type FeedPage, type FeedScope } from '../../src/feeds/feed-model.js'
import { extensionAboutPath, generateJsonDocument, toJsonItem, writeJsonFeed } from '../../src/feeds/json-feed.js'
import { generateRssDocument, toRssItem, writeRss } from '../../src/feeds/rss.js'
import { parseXml } from '../helpers/parse-xml.js'
import { article, createTestSite, type TestSite } from '../helpers/test-site.js'

// Documents are assembled from items serialized once each. They must be the very bytes
// feedsmith writes for the whole document, whatever the mix of items: with and without
// pictures, sources, tags, another language, markup that needs CDATA, and titles that
// look like the markup the splice looks for.

const image = '{ src: "https://images.unsplash.com/photo-1?w=1200&q=80", alt: "Un entrepôt", credit: "© Christian Wiediger via Unsplash" }'
const files: Record<string, string> = {
  'plain.md': article({ title: '"Sans rien"', date: '2026-11-01T10:00:00Z', tags: '[Plain]' }),
  'with-image.md': article({ title: '"Avec image"', date: '2026-11-02T10:00:00Z', image, tags: '[Pictures, "<item>"]' }),
  'with-sources.md': article({ title: '"Avec sources"', date: '2026-11-03T10:00:00Z', sources: '[{ name: Bloomberg, url: "https://www.bloomberg.com/a?b=1&c=2" }, { name: The Daily Telegraph, url: "https://www.telegraph.co.uk/x" }]', tags: '["<item>"]' }),
  'english.md': article({ title: '"An English piece </item> <entry>"', date: '2026-11-04T10:00:00Z', lang: 'en', tags: '[Plain, "<entry>"]' }),
  'cdata.md': article({ title: '"Ends ]]> twice ]]>"', date: '2026-11-05T10:00:00Z', summary: '"25 % & < 9 € ]]>"', tags: '["<item>"]' }, 'Un `]]>` et encore ]]> dans le <b>corps</b> &amp; la suite.\n\n![Un chat](https://example.org/chat.jpg "© Shutterstock")\n'),
  'everything.md': article({ title: '"Tout"', date: '2026-11-06T10:00:00Z', updated: '2026-11-07T10:00:00Z', lang: 'en', image, sources: '[{ name: Bloomberg, url: "https://www.bloomberg.com/" }]', tags: '[Plain, Pictures]', author: '[{ name: "Jeanne <Dupont>", email: jeanne@example.org, url: "https://example.org/j?a=1&b=2" }]' }),
  'no-tags.md': article({ title: '"Sans étiquette"', date: '2026-11-08T10:00:00Z' }),
}

interface Reference {
  assembled: (document: FeedDocument) => Buffer
  whole: (document: FeedDocument) => string
}

const formats: Record<FeedFormat, Reference> = {
  rss: { assembled: writeRss, whole: (document) => addFeedHistory(generateRssDocument(document, document.items.map((item) => toRssItem(item, document))), 'rss', document.paging) },
  atom: { assembled: writeAtom, whole: (document) => addFeedHistory(generateAtomDocument(document, document.items.map((item) => toAtomEntry(item, document))), 'feed', document.paging) },
  json: {
    assembled: writeJsonFeed,
    whole: (document) =>
      generateJsonDocument(
        document,
        document.items.map((item) => toJsonItem(item, `${document.baseUrl}${extensionAboutPath}`)),
      ),
  },
}

describe('documents assembled from serialized items', () => {
  let site: TestSite
  const cases: Array<{ name: string; document: FeedDocument }> = []

  beforeAll(async () => {
    site = await createTestSite(files, { env: { FEED_SIZE: '2' } })
    const { catalog } = site.store
    expect(site.store.catalog.problems).toEqual([])
    const scopes: FeedScope[] = [siteScope(site.config.site, catalog.articles), ...[...catalog.tags.values(), ...catalog.authors.values()].map((topic) => topicScope(site.config.site, topic))]
    // Every document twice: the second time, every item comes from the cache.
    for (const round of [1, 2]) {
      for (const scope of scopes) {
        const { archiveCount, pageCount } = paginate(scope.articles.length, site.config.feed.size)
        for (const format of ['rss', 'atom', 'json'] as const) {
          const pages: FeedPage[] = [{ kind: 'current' }]
          if (format === 'json') for (let number = 2; number <= pageCount; number++) pages.push({ kind: 'page', number })
          else for (let number = 1; number <= archiveCount; number++) pages.push({ kind: 'archive', number })
          for (const page of pages) {
            const document = buildFeedDocument(site.config, site.renderer, scope, format, page)!
            cases.push({ name: `${format} ${scope.prefix || '/'} ${JSON.stringify(page)} (round ${round})`, document })
          }
        }
      }
    }
    // An empty document (no article in scope) takes the whole-document path.
    cases.push(...(['rss', 'atom', 'json'] as const).map((format) => ({ name: `${format} empty`, document: buildFeedDocument(site.config, site.renderer, siteScope(site.config.site, []), format, { kind: 'current' })! })))
  })
  afterAll(() => site.dispose())

  it('covers documents with every mix of items', () => {
    expect(cases.length).toBeGreaterThan(60)
    // Items with and without Media RSS and `atom:link` sit in the same documents.
    expect(cases.some(({ document }) => document.items.some((item) => item.media.length > 0) && document.items.some((item) => item.media.length === 0))).toBe(true)
  })

  it('writes each document as feedsmith writes it whole, byte for byte', () => {
    for (const { name, document } of cases) {
      const { assembled, whole } = formats[document.format]
      expect(assembled(document).toString('utf8'), name).toBe(whole(document))
    }
  })

  it('writes well-formed documents', () => {
    for (const { name, document } of cases) {
      const body = formats[document.format].assembled(document).toString('utf8')
      if (document.format === 'json') expect(() => JSON.parse(body), name).not.toThrow()
      else expect(() => parseXml(body), name).not.toThrow()
    }
  })

  it('keeps the item text apart per base URL', () => {
    const { catalog } = site.store
    const scope = siteScope(site.config.site, catalog.articles)
    const here = buildFeedDocument(site.config, site.renderer, scope, 'json', { kind: 'current' })!
    const elsewhere = { ...here, baseUrl: 'https://mirror.example' }
    const item = JSON.parse(writeJsonFeed(elsewhere).toString('utf8')).items[0] as { _creditline: { about: string } }
    expect(item._creditline.about).toBe(`https://mirror.example${extensionAboutPath}`)
    expect(JSON.parse(writeJsonFeed(here).toString('utf8')).items[0]._creditline.about).toBe(`https://news.example${extensionAboutPath}`)
  })
})
