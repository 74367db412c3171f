import type { Element } from '@xmldom/xmldom'
import { h } from 'hastscript'
import { unified } from 'unified'
import { VFile } from 'vfile'
import type { Root } from 'hast'
import { describe, expect, it } from 'vitest'
import { rehypeAbsoluteUrls } from '../../src/markdown/absolute-urls.js'
import { renderMarkdown } from '../../src/markdown/render-markdown.js'
import type { UrlContext } from '../../src/markdown/resolve-url.js'
import { attributeNames, elements, parseHtmlFragment, visibleText } from '../fixtures/parse-html.js'

const context: UrlContext = { baseUrl: 'https://news.example', pageUrl: 'https://news.example/articles/story', file: '2026/story.md' }

/** Render and parse: the fragment's container element. */
function rendered(markdown: string): Element {
  return parseHtmlFragment(renderMarkdown(markdown, context).html)
}

/** Tag names of the direct element children of `parent`. */
function childTags(parent: Element): string[] {
  return Array.from(parent.childNodes)
    .filter((node) => node.nodeType === 1)
    .map((node) => (node as Element).localName ?? '')
}

describe('renderMarkdown figures', () => {
  it('wraps a picture alone in its paragraph in a figure captioned with its credit', () => {
    const body = rendered('![Parcels](images/boxes.jpg "© Christian Wiediger via Unsplash")\n')
    expect(childTags(body)).toEqual(['figure'])
    const [img] = elements(body, 'img')
    expect([img?.getAttribute('src'), img?.getAttribute('alt'), img?.hasAttribute('title')]).toEqual(['https://news.example/media/2026/images/boxes.jpg', 'Parcels', false])
    expect(elements(body, 'figcaption').map(visibleText)).toEqual(['© Christian Wiediger via Unsplash'])
  })

  it('moves a picture out of running text to just after its paragraph', () => {
    const body = rendered('Before ![Inline](a.png "Agency") after.\n')
    expect(childTags(body)).toEqual(['p', 'figure'])
    expect(visibleText(elements(body, 'p')[0])).toBe('Before after.')
    expect(elements(body, 'figcaption').map(visibleText)).toEqual(['Agency'])
  })

  it('keeps a linked picture linked inside its figure', () => {
    const body = rendered('[![Linked](a.png "© Holder")](https://source.example/)\n')
    const [figure] = elements(body, 'figure')
    expect(childTags(figure!)).toEqual(['a', 'figcaption'])
    expect(elements(figure!, 'a')[0]?.getAttribute('href')).toBe('https://source.example/')
  })

  it('wraps pictures in lists and tables where they stand', () => {
    const body = rendered('- ![In a list](a.png "© A")\n\n| Picture |\n| --- |\n| ![In a table](b.png "© B") |\n')
    expect(elements(body, 'li').flatMap((item) => elements(item, 'figcaption').map(visibleText))).toEqual(['© A'])
    expect(elements(body, 'td').flatMap((cell) => elements(cell, 'figcaption').map(visibleText))).toEqual(['© B'])
  })

  it('lists every picture with its credit, notice and Markdown line', () => {
    const { images } = renderMarkdown(['Intro.', '', '![One](one.png "© 2026 Jane Doe")', '', 'Text ![Two](https://cdn.example/two.jpg "Agency") text.', '', '![](three.png)', ''].join('\n'), context)
    expect(images).toEqual([
      { url: 'https://news.example/media/2026/one.png', alt: 'One', credit: 'Jane Doe', copyright: '© 2026 Jane Doe', line: 3 },
      { url: 'https://cdn.example/two.jpg', alt: 'Two', credit: 'Agency', copyright: undefined, line: 5 },
      { url: 'https://news.example/media/2026/three.png', alt: '', credit: undefined, copyright: undefined, line: 7 },
    ])
    expect(elements(rendered('![](three.png)\n'), 'figcaption')).toEqual([])
  })
})

describe('renderMarkdown sanitizing', () => {
  it.each([
    ['a script element', '<script>alert(1)</script>'],
    ['a script inside a paragraph', 'Text <script>alert(1)</script> text'],
    ['a style element', '<style>body { display: none }</style>'],
    ['an iframe', '<iframe src="https://evil.example/"></iframe>'],
    ['an event attribute', '<img src="a.png" onerror="alert(1)">'],
    ['an event attribute on a link', '<a href="https://x.example/" onclick="alert(1)">x</a>'],
    ['a javascript: link', '[x](javascript:alert(1))'],
    ['an upper-case javascript: link', '[x](JAVASCRIPT:alert(1))'],
    ['an entity-encoded javascript: link', '[x](&#106;avascript:alert(1))'],
    ['a javascript: autolink', '<javascript:alert(1)>'],
    ['a javascript: reference link', '[x][ref]\n\n[ref]: javascript:alert(1)'],
    ['a javascript: picture', '![x](javascript:alert(1) "© X")'],
    ['a data: picture', '![x](data:image/svg+xml,<svg/onload=alert(1)> "© X")'],
    ['an svg with a script', '<svg><script>alert(1)</script></svg>'],
    ['a form', '<form action="https://evil.example/"><input name="q"></form>'],
  ])('renderMarkdown with %s leaves no executable markup', (_case, markdown) => {
    const body = rendered(`Safe.\n\n${markdown}\n`)
    for (const tag of ['script', 'style', 'iframe', 'svg', 'form', 'input']) expect(elements(body, tag), tag).toEqual([])
    expect(attributeNames(body).filter((name) => name.toLowerCase().startsWith('on'))).toEqual([])
    const urls = elements(body, '*').flatMap((element) => ['href', 'src'].flatMap((name) => (element.hasAttribute(name) ? [element.getAttribute(name)!] : [])))
    expect(urls.filter((url) => !/^(https?|mailto):/i.test(url))).toEqual([])
    expect(visibleText(elements(body, 'p')[0])).toBe('Safe.')
  })

  it('drops raw HTML but keeps the Markdown around it', () => {
    const body = rendered('<div class="x">Raw block</div>\n\n**Bold** and <em>raw inline</em> text.\n')
    expect(elements(body, 'div')).toEqual([])
    expect(elements(body, 'strong').map(visibleText)).toEqual(['Bold'])
    expect(elements(body, 'em')).toEqual([])
  })

  it('keeps GFM tables, strikethrough and autolinks', () => {
    const body = rendered('| A | B |\n| - | - |\n| 1 | 2 |\n\n~~gone~~ www.example.com\n')
    expect(elements(body, 'td').map(visibleText)).toEqual(['1', '2'])
    expect(elements(body, 'del').map(visibleText)).toEqual(['gone'])
    expect(elements(body, 'a').map((link) => link.getAttribute('href'))).toEqual(['http://www.example.com/'])
  })

  it('makes footnote links absolute on the article page', () => {
    const body = rendered('Claim.[^1]\n\n[^1]: Proof.\n')
    const hrefs = elements(body, 'a').map((link) => link.getAttribute('href') ?? '')
    expect(hrefs.length).toBeGreaterThan(0)
    for (const href of hrefs) expect(href.startsWith('https://news.example/articles/story#'), href).toBe(true)
  })
})

describe('renderMarkdown excerpt', () => {
  it.each([
    ['the first paragraph', 'One short paragraph.\n', 'One short paragraph.'],
    ['paragraphs joined, headings skipped', '# Title\n\nFirst.\n\n## Part\n\nSecond.\n', 'First. Second.'],
    ['inline markup as text', 'Some **bold** and `code`.\n', 'Some bold and code.'],
    ['white space collapsed', 'Line one\nline two.\n', 'Line one line two.'],
    ['nothing for a body without paragraphs', '# Only a title\n', ''],
  ])('renderMarkdown excerpt keeps %s', (_case, markdown, excerpt) => {
    expect(renderMarkdown(markdown, context).excerpt).toBe(excerpt)
  })

  it('cuts a long body at a word boundary with an ellipsis', () => {
    const words = Array.from({ length: 100 }, (_, index) => `word${index}`).join(' ')
    const { excerpt } = renderMarkdown(`${words}.\n`, context)
    expect(excerpt.endsWith('…')).toBe(true)
    expect(excerpt.length).toBeLessThanOrEqual(281)
    expect(words.startsWith(excerpt.slice(0, -1))).toBe(true)
    expect(words[excerpt.length - 1]).toBe(' ')
  })
})

describe('rehypeAbsoluteUrls', () => {
  /** Run the plugin alone on a tree: srcset and cite cannot come from Markdown, whose raw HTML is dropped. */
  function absolutize(tree: Root): Root {
    const file = new VFile({ data: { urlContext: context } })
    return unified().use(rehypeAbsoluteUrls).runSync(tree, file) as Root
  }

  it.each([
    ['a.png 1x, b.png 2x', 'https://news.example/media/2026/a.png 1x, https://news.example/media/2026/b.png 2x'],
    ['small.jpg 480w, https://cdn.example/large.jpg 1080w', 'https://news.example/media/2026/small.jpg 480w, https://cdn.example/large.jpg 1080w'],
    ['a.png 1x, javascript:alert(1) 2x', 'https://news.example/media/2026/a.png 1x'],
  ])('rewrites srcset %j as %j', (srcSet, expected) => {
    const tree = absolutize({ type: 'root', children: [h('img', { src: 'a.png', srcSet })] })
    const img = tree.children[0] as ReturnType<typeof h>
    expect(img.properties.srcSet).toBe(expected)
  })

  it('makes href, src and cite absolute and removes values no URL can be made of', () => {
    const tree = absolutize({
      type: 'root',
      children: [h('a', { href: 'other' }, 'x'), h('img', { src: 'p.png' }), h('blockquote', { cite: '/source' }), h('a', { href: 'http://[broken' }, 'y')],
    })
    const [link, img, quote, broken] = tree.children as Array<ReturnType<typeof h>>
    expect([link?.properties.href, img?.properties.src, quote?.properties.cite, broken?.properties.href]).toEqual([
      'https://news.example/articles/other',
      'https://news.example/media/2026/p.png',
      'https://news.example/source',
      undefined,
    ])
  })

  it('refuses to run without a URL context', () => {
    expect(() => unified().use(rehypeAbsoluteUrls).runSync({ type: 'root', children: [] }, new VFile())).toThrow(/urlContext/)
  })
})
