import { readFile } from 'node:fs/promises'
import path from 'node:path'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../src/cli/main.js'
import { captureIo } from '../cli/captured-io.js'
import { elements, parseHtml, parseHtmlFragment, visibleText } from '../fixtures/parse-html.js'
import { contentHtmlOf, fetchFeeds, jsonItem, rssItems, atomEntries, type Feeds } from '../fixtures/read-feeds.js'
import { child, ns, parseXml, text } from '../helpers/parse-xml.js'
import { article, createTestSite, type TestSite } from '../helpers/test-site.js'

const articleUrl = (slug: string) => `https://news.example/articles/${slug}`

/** A body of `bytes` bytes or a little more: numbered paragraphs, the last one marked. */
function longBody(bytes: number): string {
  const paragraph = 'Le service de presse a confirmé les chiffres, publiés dans le rapport annuel, et les a commentés longuement. '
  const lines: string[] = []
  let size = 0
  for (let number = 1; size < bytes; number++) {
    const line = `${number}. ${paragraph.repeat(4)}\n\n`
    lines.push(line)
    size += Buffer.byteLength(line)
  }
  return `${lines.join('')}Fin du texte intégral.\n`
}

/** The paragraphs that replace a shortened item's text: the summary, then the sentence with its link. */
function shortenedParts(html: string): { paragraphs: string[]; links: Array<string | null> } {
  const body = parseHtmlFragment(html)
  return { paragraphs: elements(body, 'p').map(visibleText), links: elements(body, 'a').map((link) => link.getAttribute('href')) }
}

const bigSummary = '"Un très long article : le résumé, et un lien vers la page."'

describe('a 5 MB article under the default budget (feed.maxBytes 2,000,000)', () => {
  let site: TestSite
  let feeds: Feeds
  let tagFeeds: Feeds

  beforeAll(async () => {
    site = await createTestSite(
      {
        'big.md': article({ title: '"Le long"', date: '2026-11-22T10:00:00Z', summary: bigSummary, tags: '[Long]' }, longBody(5_000_000)),
        'small.md': article({ title: '"Le court"', date: '2026-11-21T10:00:00Z', tags: '[Long]' }, 'Un texte court, envoyé en entier.\n'),
      },
      // A file this large needs render limits raised with the size limit (docs/writing-articles.md#limits).
      { configFile: { content: { maxFileBytes: 8_000_000, maxRenderSeconds: 600, maxRenderMB: 4096 } } },
    )
    feeds = await fetchFeeds(site.app)
    tagFeeds = await fetchFeeds(site.app, '/tags/long')
  }, 120_000)
  afterAll(() => site.dispose())

  it.each(['rssText', 'atomText', 'jsonText'] as const)('the site feed (%s) is within the budget', (format) => {
    expect(Buffer.byteLength(feeds[format])).toBeLessThanOrEqual(2_000_000)
    expect(Buffer.byteLength(tagFeeds[format])).toBeLessThanOrEqual(2_000_000)
  })

  it.each(['rss', 'atom', 'json'] as const)('the 5 MB article is sent in %s with its summary and a sentence linking to its page', (format) => {
    for (const scope of [feeds, tagFeeds]) {
      const { paragraphs, links } = shortenedParts(contentHtmlOf(scope, articleUrl('big'))[format])
      expect(paragraphs).toEqual(['Par La rédaction', 'Un très long article : le résumé, et un lien vers la page.', 'Cet article est trop long pour ce fil : lisez-le en entier sur sa page.'])
      expect(links).toEqual([articleUrl('big')])
    }
  })

  it.each(['rss', 'atom', 'json'] as const)('the small article keeps its full text in %s', (format) => {
    expect(shortenedParts(contentHtmlOf(feeds, articleUrl('small'))[format]).paragraphs).toEqual(['Par La rédaction', 'Un texte court, envoyé en entier.'])
  })

  it('keeps the summary as the RSS description, the Atom summary and the JSON Feed summary', () => {
    const summary = 'Un très long article : le résumé, et un lien vers la page.'
    expect(jsonItem(feeds.json, articleUrl('big')).summary).toBe(summary)
    expect(rssItems(feeds.rss).map((item) => text(child(item, null, 'description')))).toContain(summary)
    expect(atomEntries(feeds.atom).map((entry) => text(child(entry, ns.atom, 'summary')))).toContain(summary)
  })

  it('keeps the whole text on the page /articles/big', async () => {
    const page = await request(site.app).get('/articles/big').expect(200)
    expect(Buffer.byteLength(page.text)).toBeGreaterThan(5_000_000)
    const paragraphs = elements(parseHtml(page.text), 'p').map(visibleText)
    expect(paragraphs).toContain('Fin du texte intégral.')
    expect(paragraphs.filter((paragraph) => paragraph.startsWith('Le service de presse')).length).toBeGreaterThan(10_000)
  })

  it('writes every feed of the static export within the budget, with the bytes the server sends', async () => {
    const io = captureIo(site.dir)
    const out = path.join(site.dir, 'public')
    expect(await runCli(['export', '--out', out, '--jobs', '1'], io), io.err()).toBe(0)
    const manifest = JSON.parse(await readFile(path.join(out, 'headers.json'), 'utf8')) as { paths: Record<string, { file: string; headers: Record<string, string> }> }
    const feedPaths = Object.keys(manifest.paths).filter((urlPath) => /\/(feed\.xml|atom\.xml|feed\.json)$/.test(urlPath))
    expect(feedPaths.sort()).toEqual(['/atom.xml', '/authors/la-redaction/atom.xml', '/authors/la-redaction/feed.json', '/authors/la-redaction/feed.xml', '/feed.json', '/feed.xml', '/tags/long/atom.xml', '/tags/long/feed.json', '/tags/long/feed.xml'])
    for (const urlPath of feedPaths) {
      const body = await readFile(path.join(out, manifest.paths[urlPath]!.file))
      expect(body.length, urlPath).toBeLessThanOrEqual(2_000_000)
      expect(body.toString('utf8'), urlPath).toBe((await request(site.app).get(urlPath).expect(200)).text)
      if (urlPath.endsWith('.json')) JSON.parse(body.toString('utf8'))
      else parseXml(body.toString('utf8'))
    }
  }, 120_000)
})

describe('feed.maxBytes', () => {
  let site: TestSite | undefined
  afterAll(() => site?.dispose())

  // Three articles of about 6 KB each: 10,000 bytes hold one of them whole, beside two summaries.
  it.each(['/feed.xml', '/atom.xml', '/feed.json'])('keeps the newest items whole first in %s, the others shortened', async (feedPath) => {
    site ??= await createTestSite(
      {
        'a.md': article({ title: '"A"', date: '2026-11-22T10:00:00Z', summary: '"Résumé A"' }, longBody(6_000)),
        'b.md': article({ title: '"B"', date: '2026-11-21T10:00:00Z', summary: '"Résumé B"' }, longBody(6_000)),
        'c.md': article({ title: '"C"', date: '2026-11-20T10:00:00Z', summary: '"Résumé C"' }, longBody(6_000)),
      },
      { configFile: { feed: { maxBytes: 10_000 } } },
    )
    const body = (await request(site.app).get(feedPath).buffer(true).expect(200)).text
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(10_000)
    const feeds = await fetchFeeds(site.app)
    const format = feedPath.endsWith('.json') ? 'json' : feedPath === '/atom.xml' ? 'atom' : 'rss'
    const lastParagraphs = ['a', 'b', 'c'].map((slug) => shortenedParts(contentHtmlOf(feeds, articleUrl(slug))[format]).paragraphs.at(-1))
    expect(lastParagraphs).toEqual(['Fin du texte intégral.', 'Cet article est trop long pour ce fil : lisez-le en entier sur sa page.', 'Cet article est trop long pour ce fil : lisez-le en entier sur sa page.'])
  })

  it('gives the same bytes from two instances of the same content', async () => {
    const files = {
      'a.md': article({ title: '"A"', date: '2026-11-22T10:00:00Z' }, longBody(6_000)),
      'b.md': article({ title: '"B"', date: '2026-11-21T10:00:00Z' }, longBody(6_000)),
    }
    const [first, second] = await Promise.all([0, 1].map(() => createTestSite(files, { configFile: { feed: { maxBytes: 10_000 } } })))
    try {
      for (const feedPath of ['/feed.xml', '/atom.xml', '/feed.json']) {
        const [one, two] = await Promise.all([first!, second!].map(async (instance) => (await request(instance.app).get(feedPath).expect(200)).text))
        expect(Buffer.byteLength(one!)).toBeLessThanOrEqual(10_000)
        expect(two).toBe(one)
      }
    } finally {
      await Promise.all([first!.dispose(), second!.dispose()])
    }
  })

  // Twenty summaries of 1,000 characters do not fit in 10,000 bytes even without their text.
  it.each(['/feed.xml', '/atom.xml', '/feed.json'])('holds fewer items in %s when even their summaries do not fit, newest first', async (feedPath) => {
    const files = Object.fromEntries(
      Array.from({ length: 20 }, (_, index) => [`a${String(index).padStart(2, '0')}.md`, article({ title: `"Article ${index}"`, date: `2026-11-${String(index + 1).padStart(2, '0')}T10:00:00Z`, summary: `"${'Résumé. '.repeat(125)}"` })]),
    )
    const dense = await createTestSite(files, { configFile: { feed: { maxBytes: 10_000 } } })
    try {
      const body = (await request(dense.app).get(feedPath).expect(200)).text
      expect(Buffer.byteLength(body)).toBeLessThanOrEqual(10_000)
      const feeds = await fetchFeeds(dense.app)
      const titles = feedPath.endsWith('.json') ? feeds.json.items.map((item) => item.title) : feedPath === '/atom.xml' ? atomEntries(feeds.atom).map((entry) => text(child(entry, ns.atom, 'title'))) : rssItems(feeds.rss).map((item) => text(child(item, null, 'title')))
      expect(titles.length).toBeGreaterThan(0)
      expect(titles.length).toBeLessThan(20)
      expect(titles).toEqual(Array.from({ length: titles.length }, (_, index) => `Article ${19 - index}`))
    } finally {
      await dense.dispose()
    }
  })
})
