import type { Document, Element } from '@xmldom/xmldom'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openBundledSite, type BundledSite } from '../fixtures/bundled-site.js'
import { elements, parseHtml, visibleText } from '../fixtures/parse-html.js'
import { getText } from '../fixtures/read-feeds.js'

/** Each list item: its title, language, link and the caption of its lead picture. */
function listed(page: Document) {
  const list = elements(page, 'ol').find((element) => element.getAttribute('class') === 'articles')!
  return elements(list, 'li').map((item: Element) => {
    const heading = elements(item, 'h2')[0]
    return {
      title: visibleText(heading),
      lang: heading?.getAttribute('lang'),
      href: elements(heading!, 'a')[0]?.getAttribute('href'),
      caption: elements(item, 'figcaption').map(visibleText)[0],
    }
  })
}

describe('list pages of the bundled content', () => {
  let site: BundledSite

  beforeAll(async () => {
    site = await openBundledSite()
  })
  afterAll(() => site.close())

  it('list every article on the home page, newest first, with lead picture credits', async () => {
    const page = parseHtml(await getText(site.app, '/'))
    expect(page.documentElement!.getAttribute('lang')).toBe('fr')
    expect(listed(page)).toEqual([
      {
        title: '« Ratatouille » : Amazon prépare une grande opération pour (re)séduire les clients français',
        lang: 'fr',
        href: 'https://news.example/articles/amazon-operation-ratatouille',
        caption: '© Shutterstock',
      },
      { title: 'Pourquoi chaque photo de produit mérite sa légende', lang: 'fr', href: 'https://news.example/articles/legendes-photo-commerce-en-ligne', caption: undefined },
      { title: 'How a photo credit reaches your feed reader', lang: 'en', href: 'https://news.example/articles/credits-in-feed-readers', caption: '© 2026 Creditline' },
    ])
  })

  it('list both "É-commerce" and "e-commerce" articles on one tag page that offers its own feeds', async () => {
    const page = parseHtml(await getText(site.app, '/tags/e-commerce'))
    expect(listed(page).map((item) => item.href)).toEqual(['https://news.example/articles/amazon-operation-ratatouille', 'https://news.example/articles/legendes-photo-commerce-en-ligne'])
    const alternates = elements(page, 'link').filter((link) => link.getAttribute('rel') === 'alternate')
    expect(alternates.map((link) => link.getAttribute('href'))).toEqual([
      'https://news.example/tags/e-commerce/feed.xml',
      'https://news.example/tags/e-commerce/atom.xml',
      'https://news.example/tags/e-commerce/feed.json',
    ])
  })
})
