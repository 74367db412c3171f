import { describe, expect, it } from 'vitest'
import { renderReadmeHtml } from '../../src/pages/readme-html.js'
import { elements, parseHtmlFragment } from '../fixtures/parse-html.js'

describe('renderReadmeHtml', () => {
  it('renderReadmeHtml("## Quick start") gives the heading the id /about links use', () => {
    const [heading] = elements(parseHtmlFragment(renderReadmeHtml('## Quick start\n')), 'h2')
    expect(heading?.getAttribute('id')).toBe('quick-start')
  })

  // remark-rehype already drops raw HTML; URLs are what only the sanitizer stops.
  it.each([
    ['a javascript: link', '[run](javascript:alert(1))', 'a', 'href'],
    ['a javascript: picture', '![run](javascript:alert(1))', 'img', 'src'],
  ])('renderReadmeHtml(<%s>) keeps the element without its URL', (_what, markdown, tag, attribute) => {
    const found = elements(parseHtmlFragment(renderReadmeHtml(markdown)), tag)
    expect(found.map((element) => element.getAttribute(attribute))).toEqual([null])
  })

  it('renderReadmeHtml keeps a link to https', () => {
    const [link] = elements(parseHtmlFragment(renderReadmeHtml('[spec](https://www.jsonfeed.org/version/1.1/)\n')), 'a')
    expect(link?.getAttribute('href')).toBe('https://www.jsonfeed.org/version/1.1/')
  })
})
