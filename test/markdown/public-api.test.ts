import { describe, expect, it } from 'vitest'
import * as absoluteUrls from '../../src/markdown/absolute-urls.js'
import * as creditedFigures from '../../src/markdown/credited-figures.js'
import * as renderArticle from '../../src/markdown/render-article.js'
import * as renderCache from '../../src/markdown/render-cache.js'
import * as renderMarkdown from '../../src/markdown/render-markdown.js'
import * as resolveUrl from '../../src/markdown/resolve-url.js'

describe('src/markdown public API', () => {
  it.each([
    ['absolute-urls', absoluteUrls, ['rehypeAbsoluteUrls']],
    ['credited-figures', creditedFigures, ['parseCreditLine', 'formatCreditCaption', 'rehypeCreditedFigures']],
    ['render-article', renderArticle, ['articleUrl', 'ArticleRenderer']],
    ['render-cache', renderCache, ['RenderCache']],
    ['render-markdown', renderMarkdown, ['renderMarkdown']],
    ['resolve-url', resolveUrl, ['toMediaUrl', 'resolveUrl', 'toContentPath']],
  ] as const)('%s exports the functions %j', (_module, exports, names) => {
    for (const name of names) expect(typeof (exports as Record<string, unknown>)[name], name).toBe('function')
  })

  it('exports the renderer version (part of every cache key) and the media prefix', () => {
    expect(renderMarkdown.rendererVersion).toMatch(/^\S+$/)
    expect(resolveUrl.mediaPathPrefix).toBe('/media/')
  })

  it('ArticleRenderer has the methods the site and the CLI call', () => {
    const renderer = new renderArticle.ArticleRenderer({ baseUrl: 'https://news.example', cacheDir: undefined })
    for (const method of ['render', 'prepare', 'cacheKey', 'needsRender', 'failures', 'renderedProblems', 'retain', 'close'] as const) expect(typeof renderer[method], method).toBe('function')
  })
})
