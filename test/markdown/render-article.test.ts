import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadArticle, prepareParser } from '../../src/content/load-content.js'
import { formatProblem } from '../../src/content/format-problem.js'
import { parseArticle, type Article } from '../../src/content/parse-article.js'
import { ArticleRenderer, articleUrl, BodyNotRenderedError } from '../../src/markdown/render-article.js'
import { renderMarkdown } from '../../src/markdown/render-markdown.js'
import { article } from '../helpers/test-site.js'
import { elements, parseHtmlFragment, visibleText } from '../fixtures/parse-html.js'

/** A valid article parsed by the real parser. */
function parsed(file: string, fields: Record<string, string>, body?: string): Article {
  const result = parseArticle(file, article(fields, body), { language: 'fr', author: { name: 'La rédaction' } })
  if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'))
  return result.article
}

const credited = parsed(
  'dossier/credited.md',
  {
    lang: 'en',
    image: '{ src: images/lead.jpg, alt: Lead picture, credit: Agency, copyright: © 2026 Agency, license: "https://creativecommons.org/licenses/by/4.0/", role: illustrator }',
    sources: '[{ name: Bloomberg, url: "https://www.bloomberg.com/" }, { name: Reuters, url: "https://www.reuters.com/" }]',
  },
  'First paragraph.\n\n![Body picture](body.webp "© Jane Doe")\n\n![Unknown type](picture.heic.unknownext "Agency")\n',
)

describe('articleUrl', () => {
  it.each([
    ['https://news.example', 'story', 'https://news.example/articles/story'],
    ['https://news.example', '日本', 'https://news.example/articles/%E6%97%A5%E6%9C%AC'],
  ])('articleUrl(%j, %j) is %j', (baseUrl, slug, url) => {
    expect(articleUrl(baseUrl, slug)).toBe(url)
  })
})

describe('ArticleRenderer.render', () => {
  const renderer = new ArticleRenderer({ baseUrl: 'https://news.example', cacheDir: undefined })
  const result = renderer.render(credited)

  it('lists the lead picture first, then body pictures, each with its credit and type', () => {
    expect(result.media).toEqual([
      {
        url: 'https://news.example/media/dossier/images/lead.jpg',
        type: 'image/jpeg',
        alt: 'Lead picture',
        credit: 'Agency',
        copyright: '© 2026 Agency',
        license: 'https://creativecommons.org/licenses/by/4.0/',
        role: 'illustrator',
        lead: true,
      },
      { url: 'https://news.example/media/dossier/body.webp', type: 'image/webp', alt: 'Body picture', credit: 'Jane Doe', copyright: '© Jane Doe', license: undefined, role: 'photographer', lead: false, line: 11 },
      { url: 'https://news.example/media/dossier/picture.heic.unknownext', type: undefined, alt: 'Unknown type', credit: 'Agency', copyright: undefined, license: undefined, role: 'photographer', lead: false, line: 13 },
    ])
  })

  it('opens the HTML with the lead figure, its notice and licence link, and closes it with the sources', () => {
    const body = parseHtmlFragment(result.html)
    const [lead] = elements(body, 'figure')
    expect(elements(lead!, 'img')[0]?.getAttribute('src')).toBe('https://news.example/media/dossier/images/lead.jpg')
    expect(visibleText(elements(lead!, 'figcaption')[0])).toBe('© 2026 Agency · license')
    expect(elements(lead!, 'a').map((link) => [link.getAttribute('href'), link.getAttribute('rel')])).toEqual([['https://creativecommons.org/licenses/by/4.0/', 'license']])
    const paragraphs = elements(body, 'p')
    expect(paragraphs.at(-1)?.getAttribute('class')).toBe('sources')
    expect(visibleText(paragraphs.at(-1))).toBe('Sources: Bloomberg, Reuters')
  })

  it.each([
    ['credit: Agency', '{ src: a.jpg, alt: A, credit: Agency }', { credit: 'Agency', copyright: undefined }, 'Agency'],
    ['credit: © Agency', '{ src: a.jpg, alt: A, credit: © Agency }', { credit: 'Agency', copyright: '© Agency' }, '© Agency'],
    ['credit: © 2026 Agency', '{ src: a.jpg, alt: A, credit: © 2026 Agency }', { credit: 'Agency', copyright: '© 2026 Agency' }, '© 2026 Agency'],
    ['credit: Jane via Agency, copyright: © Agency', '{ src: a.jpg, alt: A, credit: Jane via Agency, copyright: © Agency }', { credit: 'Jane via Agency', copyright: '© Agency' }, 'Jane via Agency · © Agency'],
  ])('credits a lead picture written %s', (_case, image, expected, caption) => {
    const rendered = renderer.render(parsed('lead.md', { image }))
    expect(rendered.media[0]).toMatchObject(expected)
    expect(elements(parseHtmlFragment(rendered.html), 'figcaption').map(visibleText)).toEqual([caption])
  })

  it('derives the summary from the body when the editor wrote none', () => {
    expect(result.summary).toBe('First paragraph.')
    expect(renderer.render(parsed('summary.md', { summary: 'Written summary.' })).summary).toBe('Written summary.')
  })

  it('reports no problem for credited pictures', () => {
    expect(result.problems).toEqual([])
  })

  it.each([
    ['fr', 'Source : Bloomberg'],
    ['en', 'Source: Bloomberg'],
    ['de', 'Source: Bloomberg'],
  ])('writes the sources line of a %s article as %j', (lang, line) => {
    const single = parsed(`single-${lang}.md`, { lang, sources: '[{ name: Bloomberg, url: "https://www.bloomberg.com/" }]' })
    const paragraphs = elements(parseHtmlFragment(renderer.render(single).html), 'p')
    expect(visibleText(paragraphs.at(-1))).toBe(line)
  })

  it('writes no sources line and no lead figure when there are none', () => {
    const plain = renderer.render(parsed('plain.md', {}, 'Only text.\n'))
    const body = parseHtmlFragment(plain.html)
    expect(elements(body, 'figure')).toEqual([])
    expect(elements(body, 'p').map((paragraph) => paragraph.getAttribute('class'))).toEqual([null])
    expect(plain.media).toEqual([])
  })

  it('returns the same render for the same article object, and knows it is cached', () => {
    const fresh = new ArticleRenderer({ baseUrl: 'https://news.example', cacheDir: undefined })
    expect(fresh.needsRender(credited)).toBe(true)
    expect(fresh.renderedProblems(credited)).toBeUndefined()
    const first = fresh.render(credited)
    expect(fresh.render(credited)).toBe(first)
    expect(fresh.renderedProblems(credited)).toEqual(first.problems)
    expect(fresh.needsRender(credited)).toBe(false)
  })

  it('keeps the renders asked for most recently, and the problems of every render', () => {
    const renderer = new ArticleRenderer({ baseUrl: 'https://news.example', cacheDir: undefined, keepRendered: 2 })
    const [a, b, c] = ['a.md', 'b.md', 'c.md'].map((file) => parsed(file, {}, `![Sans crédit](${file}.jpg)\n`))
    const first = renderer.render(a!)
    renderer.render(b!)
    renderer.render(c!)
    const again = renderer.render(a!)
    expect(again).not.toBe(first)
    expect(again).toEqual(first)
    expect(renderer.renderedProblems(b!)?.map((problem) => problem.message)).toEqual([expect.stringContaining('has no credit')])
  })

  it('retain(isPublished) forgets the renders of articles no longer published, and keeps the others', () => {
    const renderer = new ArticleRenderer({ baseUrl: 'https://news.example', cacheDir: undefined })
    const [kept, dropped] = ['kept.md', 'dropped.md'].map((file) => parsed(file, {}, 'Corps.\n'))
    const keptRender = renderer.render(kept!)
    const droppedRender = renderer.render(dropped!)
    renderer.retain((article) => article === kept)
    expect(renderer.render(kept!)).toBe(keptRender)
    expect(renderer.render(dropped!)).not.toBe(droppedRender)
  })

  it('keys the cache by base URL, since every URL in the HTML depends on it', () => {
    const here = new ArticleRenderer({ baseUrl: 'https://news.example', cacheDir: undefined })
    const there = new ArticleRenderer({ baseUrl: 'https://mirror.example', cacheDir: undefined })
    expect(here.cacheKey(credited)).not.toBe(there.cacheKey(credited))
    expect(there.render(credited).media[0]?.url).toBe('https://mirror.example/media/dossier/images/lead.jpg')
  })
})

describe('ArticleRenderer problems with pictures a reader cannot load', () => {
  const renderer = new ArticleRenderer({ baseUrl: 'https://news.example', cacheDir: undefined })
  it.each([
    ['a javascript: picture', '![x](javascript:alert(1) "© A")', 'image "javascript:alert(1)" is not a picture a reader can load'],
    ['a picture above the content folder', '![x](../../x.png "© A")', 'image "https://news.example/x.png" points at this site outside /media/'],
    ['a root-relative picture', '![x](/img/x.png "© A")', 'image "https://news.example/img/x.png" points at this site outside /media/'],
  ])('render() reports %s on its line', (_what, markdown, message) => {
    const { problems } = renderer.render(parsed('a.md', {}, `Intro.\n\n${markdown}\n`))
    expect(problems).toEqual([{ file: 'a.md', line: 8, field: 'body', message: expect.stringContaining(message) }])
  })

  it('render() reports a lead picture outside /media/', () => {
    const { problems } = renderer.render(parsed('a.md', { image: '{ src: /elsewhere/lead.jpg, alt: Lead, credit: Agency }' }))
    expect(problems).toEqual([{ file: 'a.md', field: 'image.src', message: expect.stringContaining('outside /media/') }])
  })

  it('render() accepts pictures of the content folder and of other sites', () => {
    const { problems } = renderer.render(parsed('a.md', {}, '![x](images/x.png "© A")\n\n![y](https://cdn.example/y.png "© B")\n'))
    expect(problems).toEqual([])
  })
})

describe('ArticleRenderer.render of an article whose body is read on demand', () => {
  it('renders the body read from disk, and refuses a file that changed since its front matter was read', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'creditline-body-'))
    await prepareParser()
    try {
      await writeFile(path.join(dir, 'a.md'), article({}, 'Le **corps**.\n'))
      const loaded = loadArticle(dir, 'a.md', { language: 'fr', author: { name: 'La rédaction' } }).article!
      expect(loaded.body).toBeUndefined()
      const renderer = new ArticleRenderer({ baseUrl: 'https://news.example', cacheDir: undefined })
      expect(elements(parseHtmlFragment(renderer.render(loaded).html), 'strong').map(visibleText)).toEqual(['corps'])

      const stale = loadArticle(dir, 'a.md', { language: 'fr', author: { name: 'La rédaction' } }).article!
      await writeFile(path.join(dir, 'a.md'), article({}, 'Un autre corps, plus long.\n'))
      const first = renderer.render(stale)
      // Not the new body, which may not go with this front matter: the last good one, for this request only.
      expect(first).toMatchObject({ html: renderer.render(loaded).html, body: 'last-good', lasting: false })
      expect(first.problems).toEqual([{ file: 'a.md', field: 'body', message: expect.stringContaining('the file changed since its front matter was read'), effect: 'held back' }])
      // Not kept: the next render tries again.
      expect(renderer.render(stale)).not.toBe(first)

      // Without a good version before it, nothing: such an article is not published.
      const alone = new ArticleRenderer({ baseUrl: 'https://news.example', cacheDir: undefined }).render(stale)
      expect(alone).toMatchObject({ html: '', body: 'none', lasting: false })
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('ArticleRenderer.prepare, for a body over maxInlineBodyBytes', () => {
  const long = parsed('long.md', {}, `${'Un paragraphe avec un [lien](https://example.com/a?b=1&c=2) et *de l’emphase*.\n\n'.repeat(300)}![Une boîte](images/box.svg "© Ada")\n`)
  const context = { baseUrl: 'https://news.example', pageUrl: articleUrl('https://news.example', long.slug), file: long.file }

  it('render() refuses it before prepare(), rather than block the thread', async () => {
    const renderer = new ArticleRenderer({ baseUrl: 'https://news.example', cacheDir: undefined })
    expect(() => renderer.render(long)).toThrow(BodyNotRenderedError)
    await renderer.close()
  })

  it('renders it in the worker thread to the bytes the pipeline gives on this thread', async () => {
    const renderer = new ArticleRenderer({ baseUrl: 'https://news.example', cacheDir: undefined })
    try {
      await renderer.prepare([long])
      const rendered = renderer.render(long)
      expect(rendered.html).toBe(renderMarkdown(long.body!, context).html)
      expect(rendered.media.map((picture) => picture.url)).toEqual(['https://news.example/media/images/box.svg'])
      expect(renderer.renderCount).toBe(1)
    } finally {
      await renderer.close()
    }
  })
})
