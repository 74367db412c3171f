import { describe, expect, it } from 'vitest'
import * as aboutPage from '../../src/pages/about-page.js'
import * as articlePage from '../../src/pages/article-page.js'
import * as layout from '../../src/pages/layout.js'
import * as listPage from '../../src/pages/list-page.js'

describe('src/pages public API', () => {
  it.each([
    ['about-page', aboutPage, ['renderAboutPage']],
    ['article-page', articlePage, ['formatDate', 'renderArticlePage']],
    ['layout', layout, ['feedAlternates', 'subscribeList', 'sanitizedHtml', 'renderPage']],
    ['list-page', listPage, ['renderListPage']],
  ] as const)('%s exports the functions %j', (_module, exports, names) => {
    for (const name of names) expect(typeof (exports as Record<string, unknown>)[name], name).toBe('function')
  })
})
