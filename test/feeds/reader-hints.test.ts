import { readFileSync, statSync } from 'node:fs'
import { imageSize } from 'image-size'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openBundledSite, repoRoot, type BundledSite } from '../fixtures/bundled-site.js'
import { elements, parseHtml, parseHtmlFragment, visibleText } from '../fixtures/parse-html.js'
import { atomEntry, contentHtmlOf, fetchFeeds, jsonItem, rssChannel, rssItem, type Feeds } from '../fixtures/read-feeds.js'
import { child, children, ns, text } from '../helpers/parse-xml.js'
import { article, createTestSite, type TestSite } from '../helpers/test-site.js'

/** What a content picture of the bundled site really is. */
function pictureFile(path: string): { bytes: number; width: number; height: number } {
  const file = `${repoRoot}content/${path}`
  const { width, height } = imageSize(readFileSync(file))
  return { bytes: statSync(file).size, width, height }
}

const duoUrl = 'https://news.example/articles/credits-in-feed-readers'
const ratatouilleUrl = 'https://news.example/articles/amazon-operation-ratatouille'
const leadUrl = 'https://news.example/media/images/ratatouille-lead.svg'
const lead = pictureFile('images/ratatouille-lead.svg')

describe('what feed readers need besides credits, in the bundled feeds', () => {
  let site: BundledSite
  let feeds: Feeds

  beforeAll(async () => {
    site = await openBundledSite()
    feeds = await fetchFeeds(site.app)
  })
  afterAll(() => site.close())

  it.each(['rss', 'atom', 'json'] as const)('opens the content of %s with a byline naming every author', (format) => {
    const byline = elements(parseHtmlFragment(contentHtmlOf(feeds, duoUrl)[format]), 'p')[0]
    expect(byline?.getAttribute('class')).toBe('byline')
    expect(visibleText(byline)).toBe('By Ada Martin, Samir Haddad')
  })

  it('gives media:content of a content picture its size in bytes and pixels, read from the file', () => {
    const contents = children(rssItem(feeds.rss, ratatouilleUrl), ns.media, 'content')
    const expected = ['images/ratatouille-lead.svg', 'images/amazon-boxes.svg', 'images/amazon-france.svg'].map(pictureFile)
    expect(contents.map((content) => ({ bytes: Number(content.getAttribute('fileSize')), width: Number(content.getAttribute('width')), height: Number(content.getAttribute('height')) }))).toEqual(expected)
  })

  it.each([
    ['rss', (feeds: Feeds) => rssItem(feeds.rss, ratatouilleUrl)],
    ['atom', (feeds: Feeds) => atomEntry(feeds.atom, ratatouilleUrl)],
  ] as const)('makes the lead picture the media:thumbnail of the %s item, with its dimensions', (_format, itemOf) => {
    const thumbnails = children(itemOf(feeds), ns.media, 'thumbnail')
    expect(thumbnails.map((thumbnail) => [thumbnail.getAttribute('url'), Number(thumbnail.getAttribute('width')), Number(thumbnail.getAttribute('height'))])).toEqual([[leadUrl, lead.width, lead.height]])
  })

  it('encloses the lead picture with its real length and type, in RSS, Atom and JSON Feed', () => {
    const enclosures = children(rssItem(feeds.rss, ratatouilleUrl), null, 'enclosure')
    expect(enclosures.map((enclosure) => [enclosure.getAttribute('url'), Number(enclosure.getAttribute('length')), enclosure.getAttribute('type')])).toEqual([[leadUrl, lead.bytes, 'image/svg+xml']])
    const atomEnclosures = children(atomEntry(feeds.atom, ratatouilleUrl), ns.atom, 'link').filter((link) => link.getAttribute('rel') === 'enclosure')
    expect(atomEnclosures.map((link) => [link.getAttribute('href'), Number(link.getAttribute('length')), link.getAttribute('type')])).toEqual([[leadUrl, lead.bytes, 'image/svg+xml']])
    expect(jsonItem(feeds.json, ratatouilleUrl).attachments).toEqual([{ url: leadUrl, mime_type: 'image/svg+xml', size_in_bytes: lead.bytes, title: "Image d'illustration de l'opération « Ratatouille » d'Amazon (image de remplacement)" }])
  })

  it('names the site icon in RSS <image>, Atom <icon> and <logo>, and JSON Feed icon and favicon', () => {
    const image = child(rssChannel(feeds.rss), null, 'image')
    expect(['url', 'title', 'link'].map((name) => text(child(image, null, name)))).toEqual(['https://news.example/icon.png', 'Creditline', 'https://news.example/'])
    expect(['icon', 'logo'].map((name) => text(child(feeds.atom.documentElement!, ns.atom, name)))).toEqual(['https://news.example/icon.png', 'https://news.example/icon.png'])
    expect([feeds.json.icon, feeds.json.favicon]).toEqual(['https://news.example/icon.png', 'https://news.example/icon.png'])
  })

  it.each([
    ['/icon.png', 'image/png', 'png'],
    ['/favicon.ico', 'image/x-icon', 'ico'],
    ['/icon.svg', 'image/svg+xml; charset=utf-8', 'svg'],
  ])('serves GET %s as %s', async (path, mediaType, type) => {
    const response = await request(site.app).get(path).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => done(null, Buffer.concat(chunks)))
    })
    expect(response.status).toBe(200)
    expect(response.headers['content-type']).toBe(mediaType)
    expect(imageSize(response.body as Buffer).type).toBe(type)
  })

  it.each(['/', '/articles/amazon-operation-ratatouille'])('links the icons from the page %s', async (path) => {
    const page = parseHtml((await request(site.app).get(path)).text)
    const icons = elements(page, 'link').filter((link) => link.getAttribute('rel') === 'icon')
    expect(icons.map((link) => [link.getAttribute('href'), link.getAttribute('type')])).toEqual([
      ['https://news.example/favicon.ico', 'image/x-icon'],
      ['https://news.example/icon.svg', 'image/svg+xml'],
    ])
  })
})

describe('a site icon set by site.icon', () => {
  let site: TestSite
  const png = readFileSync(new URL('../../assets/icon.png', import.meta.url))

  beforeAll(async () => {
    site = await createTestSite({ 'a.md': article(), 'brand/logo.png': png }, { configFile: { site: { title: 'Test Site', description: 'A site made by a test.', language: 'fr', author: { name: 'La rédaction' }, copyright: '© 2026 Test', icon: 'brand/logo.png' } } })
  })
  afterAll(() => site.dispose())

  it('is served as /icon.png and inside /favicon.ico, and /icon.svg is gone', async () => {
    const icon = await request(site.app).get('/icon.png').responseType('blob')
    expect(Buffer.compare(icon.body as Buffer, png)).toBe(0)
    const ico = await request(site.app).get('/favicon.ico').responseType('blob')
    expect(Buffer.compare((ico.body as Buffer).subarray(22), png)).toBe(0)
    expect((await request(site.app).get('/icon.svg')).status).toBe(404)
  })

  it('is the only icon pages link to', async () => {
    const page = parseHtml((await request(site.app).get('/')).text)
    expect(elements(page, 'link').filter((link) => link.getAttribute('rel') === 'icon').map((link) => link.getAttribute('href'))).toEqual(['https://news.example/favicon.ico'])
  })
})
