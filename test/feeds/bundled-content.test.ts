import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { child, children, ns, text } from '../helpers/parse-xml.js'
import { openBundledSite, type BundledSite } from '../fixtures/bundled-site.js'
import { elements, parseHtml } from '../fixtures/parse-html.js'
import { atomEntry, fetchFeeds, getText, jsonItem, mediaContents, rssChannel, rssItem, xmlLang, type Feeds } from '../fixtures/read-feeds.js'

// The seed article of the repository, as the service publishes it from the real content/ folder.
const ratatouilleUrl = 'https://news.example/articles/amazon-operation-ratatouille'
const ratatouilleTitle = '« Ratatouille » : Amazon prépare une grande opération pour (re)séduire les clients français'
const ratatouilleMedia = [
  { url: 'https://news.example/media/images/ratatouille-lead.svg', credit: 'Shutterstock', copyright: '© Shutterstock', role: 'photographer' },
  { url: 'https://news.example/media/images/amazon-boxes.svg', credit: 'Christian Wiediger via Unsplash', copyright: '© Christian Wiediger via Unsplash', role: 'photographer' },
  { url: 'https://news.example/media/images/amazon-france.svg', credit: 'Amazon', copyright: '© Amazon', role: 'photographer' },
]
const ratatouilleSources = [
  { name: 'Bloomberg', url: 'https://www.bloomberg.com/' },
  { name: 'The Daily Telegraph', url: 'https://www.telegraph.co.uk/' },
]

describe('the bundled « Ratatouille » article in the three feeds', () => {
  let site: BundledSite
  let feeds: Feeds

  beforeAll(async () => {
    site = await openBundledSite()
    feeds = await fetchFeeds(site.app)
  })
  afterAll(() => site.close())

  it('publishes every bundled article without a problem', () => {
    expect(site.store.catalog.problems).toEqual([])
    expect(site.store.catalog.articles.map((article) => article.slug)).toEqual(['amazon-operation-ratatouille', 'legendes-photo-commerce-en-ligne', 'credits-in-feed-readers'])
    for (const article of site.store.catalog.articles) expect(site.renderer.render(article).problems).toEqual([])
  })

  describe('RSS 2.0', () => {
    it('has the title, the author as dc:creator and the French channel language', () => {
      const item = rssItem(feeds.rss, ratatouilleUrl)
      expect(text(child(item, null, 'title'))).toBe(ratatouilleTitle)
      expect(children(item, ns.dc, 'creator').map(text)).toEqual(['La rédaction'])
      expect(text(child(rssChannel(feeds.rss), null, 'language'))).toBe('fr')
      // Same language as the channel: no per-item override.
      expect(children(item, ns.dc, 'language')).toEqual([])
    })

    it('credits the lead picture and both body pictures with media:credit and media:copyright', () => {
      const media = mediaContents(rssItem(feeds.rss, ratatouilleUrl))
      expect(media.map(({ url, credit, copyright, role }) => ({ url, credit, copyright, role }))).toEqual(ratatouilleMedia)
      for (const content of children(rssItem(feeds.rss, ratatouilleUrl), ns.media, 'content')) {
        expect(content.getAttribute('medium')).toBe('image')
        expect(child(content, ns.media, 'credit').getAttribute('scheme')).toBe('urn:ebu')
      }
    })

    it('names Bloomberg as dc:source and both sources as atom:link rel="via" with their titles', () => {
      const item = rssItem(feeds.rss, ratatouilleUrl)
      expect(children(item, ns.dc, 'source').map(text)).toEqual(['https://www.bloomberg.com/'])
      const via = children(item, ns.atom, 'link').filter((link) => link.getAttribute('rel') === 'via')
      expect(via.map((link) => ({ name: link.getAttribute('title'), url: link.getAttribute('href') }))).toEqual(ratatouilleSources)
    })

    it('lists the tags as categories, "É-commerce" as written', () => {
      const item = rssItem(feeds.rss, ratatouilleUrl)
      expect(children(item, null, 'category').map(text)).toEqual(['Amazon', 'É-commerce', 'France'])
    })
  })

  describe('Atom 1.0', () => {
    it('has the title, the author and xml:lang="fr" on the feed and the entry', () => {
      const entry = atomEntry(feeds.atom, ratatouilleUrl)
      expect(text(child(entry, ns.atom, 'title'))).toBe(ratatouilleTitle)
      expect(children(entry, ns.atom, 'author').map((author) => text(child(author, ns.atom, 'name')))).toEqual(['La rédaction'])
      expect(feeds.atom.documentElement!.getAttributeNS(ns.xml, 'lang')).toBe('fr')
      expect(entry.getAttributeNS(ns.xml, 'lang')).toBe('fr')
    })

    it('credits the three pictures with Media RSS', () => {
      const media = mediaContents(atomEntry(feeds.atom, ratatouilleUrl))
      expect(media.map(({ url, credit, copyright, role }) => ({ url, credit, copyright, role }))).toEqual(ratatouilleMedia)
    })

    it('links each source with rel="via" and its name as title', () => {
      const via = children(atomEntry(feeds.atom, ratatouilleUrl), ns.atom, 'link').filter((link) => link.getAttribute('rel') === 'via')
      expect(via.map((link) => ({ name: link.getAttribute('title'), url: link.getAttribute('href') }))).toEqual(ratatouilleSources)
    })
  })

  describe('JSON Feed 1.1', () => {
    it('declares version 1.1, the site language and authors', () => {
      expect(feeds.json.version).toBe('https://jsonfeed.org/version/1.1')
      expect(feeds.json.language).toBe('fr')
      expect(feeds.json.authors).toEqual([{ name: 'La rédaction' }])
    })

    it('gives the item its title, authors, language, lead image and tags', () => {
      const item = jsonItem(feeds.json, ratatouilleUrl)
      expect(item).toMatchObject({
        url: ratatouilleUrl,
        title: ratatouilleTitle,
        authors: [{ name: 'La rédaction' }],
        language: 'fr',
        image: 'https://news.example/media/images/ratatouille-lead.svg',
        tags: ['Amazon', 'É-commerce', 'France'],
        date_published: '2026-11-26T08:00:00.000Z',
      })
    })

    it('carries every credit and source in the _creditline extension', () => {
      const extension = jsonItem(feeds.json, ratatouilleUrl)._creditline
      expect(extension.about).toBe('https://news.example/about#json-feed-extension-_creditline')
      expect(extension.sources).toEqual(ratatouilleSources)
      expect(extension.images.map(({ url, credit, copyright, role, lead }) => ({ url, credit, copyright, role, lead }))).toEqual(
        ratatouilleMedia.map((media, index) => ({ ...media, lead: index === 0 })),
      )
      expect(extension.images.every((image) => image.alt.length > 0 && image.license === null)).toBe(true)
    })

    it('documents the extension at the anchor its `about` URL names', async () => {
      const page = parseHtml(await getText(site.app, '/about'))
      const ids = elements(page, '*').map((element) => element.getAttribute('id'))
      expect(ids).toContain('json-feed-extension-_creditline')
    })
  })

  it('gives the English bundled article its own language in all three formats', () => {
    const url = 'https://news.example/articles/credits-in-feed-readers'
    expect(children(rssItem(feeds.rss, url), ns.dc, 'language').map(text)).toEqual(['en'])
    expect(xmlLang(atomEntry(feeds.atom, url))).toBe('en')
    expect(jsonItem(feeds.json, url).language).toBe('en')
  })

  it('carries the licence of a lead picture as media:copyright/@url and in _creditline', () => {
    const url = 'https://news.example/articles/credits-in-feed-readers'
    const [lead] = mediaContents(rssItem(feeds.rss, url))
    expect(lead).toMatchObject({ credit: 'Creditline', role: 'illustrator', copyright: '© 2026 Creditline', copyrightUrl: 'https://creativecommons.org/licenses/by/4.0/' })
    expect(jsonItem(feeds.json, url)._creditline.images[0]).toMatchObject({ credit: 'Creditline', license: 'https://creativecommons.org/licenses/by/4.0/', role: 'illustrator', lead: true })
  })
})
