import { describe, expect, it } from 'vitest'
import { articlePath, slugifyName, topicPath } from '../../src/content/slugify-name.js'

describe('slugifyName', () => {
  it.each([
    ['É-commerce', 'e-commerce'],
    ['e-commerce', 'e-commerce'],
    ['E-Commerce', 'e-commerce'],
    ['La rédaction', 'la-redaction'],
    ['Ada Martin', 'ada-martin'],
    ['  Ça  va  ', 'ca-va'],
    ['Œuvre', 'oeuvre'],
    ["L'été", 'lete'],
    ['amazon-operation-ratatouille', 'amazon-operation-ratatouille'],
    ['C++', 'c'],
    ['Москва', 'moskva'],
    // No Latin transliteration: the letters themselves, so the name still gets a page.
    ['日本', '日本'],
    ['東京 太郎', '東京-太郎'],
    ['!!!', ''],
    ['', ''],
  ])('slugifyName(%j) is %j', (name, slug) => {
    expect(slugifyName(name)).toBe(slug)
  })

  it.each(['É-commerce', 'La rédaction', '日本', 'Москва'])('slugifyName(slugifyName(%j)) changes nothing more', (name) => {
    expect(slugifyName(slugifyName(name))).toBe(slugifyName(name))
  })
})

describe('topicPath and articlePath', () => {
  it.each([
    ['tag', 'e-commerce', '/tags/e-commerce'],
    ['author', 'la-redaction', '/authors/la-redaction'],
    ['tag', '日本', '/tags/%E6%97%A5%E6%9C%AC'],
  ] as const)('topicPath(%j, %j) is %j', (kind, slug, path) => {
    expect(topicPath(kind, slug)).toBe(path)
  })

  it.each([
    ['amazon-operation-ratatouille', '/articles/amazon-operation-ratatouille'],
    ['日本', '/articles/%E6%97%A5%E6%9C%AC'],
  ])('articlePath(%j) is %j', (slug, path) => {
    expect(articlePath(slug)).toBe(path)
  })
})
