import { describe, expect, it } from 'vitest'
import { renderDocumentHtml } from '../../src/pages/document-html.js'
import { elements, parseHtmlFragment } from '../fixtures/parse-html.js'

describe('renderDocumentHtml', () => {
  it('renderDocumentHtml("## Quick start") gives the heading a GitHub-style id', () => {
    const [heading] = elements(parseHtmlFragment(renderDocumentHtml('## Quick start\n')), 'h2')
    expect(heading?.getAttribute('id')).toBe('quick-start')
  })

  // remark-rehype already drops raw HTML; URLs are what only the sanitizer stops.
  it.each([
    ['a javascript: link', '[run](javascript:alert(1))', 'a', 'href'],
    ['a javascript: picture', '![run](javascript:alert(1))', 'img', 'src'],
  ])('renderDocumentHtml(<%s>) keeps the element without its URL', (_what, markdown, tag, attribute) => {
    const found = elements(parseHtmlFragment(renderDocumentHtml(markdown)), tag)
    expect(found.map((element) => element.getAttribute(attribute))).toEqual([null])
  })

  it('renderDocumentHtml("# Extension", { titleId }) gives the title the id URLs name, in any language', () => {
    const html = parseHtmlFragment(renderDocumentHtml('# Extension JSON Feed\n\n## Champs\n', { titleId: 'json-feed-extension-_creditline' }))
    expect(elements(html, 'h1').map((heading) => heading.getAttribute('id'))).toEqual(['json-feed-extension-_creditline'])
    expect(elements(html, 'h2').map((heading) => heading.getAttribute('id'))).toEqual(['champs'])
  })

  it('renderDocumentHtml keeps a link to https', () => {
    const [link] = elements(parseHtmlFragment(renderDocumentHtml('[spec](https://www.jsonfeed.org/version/1.1/)\n')), 'a')
    expect(link?.getAttribute('href')).toBe('https://www.jsonfeed.org/version/1.1/')
  })
})
