import { describe, expect, it } from 'vitest'
import * as aboutPage from '../../src/pages/about-page.js'
import * as articlePage from '../../src/pages/article-page.js'
import * as documentHtml from '../../src/pages/document-html.js'
import * as formatDate from '../../src/pages/format-date.js'
import * as layout from '../../src/pages/layout.js'
import * as listPage from '../../src/pages/list-page.js'

describe('src/pages public API', () => {
  it.each([
    ['about-page', aboutPage, ['renderAboutPage']],
    ['article-page', articlePage, ['renderArticlePage']],
    ['document-html', documentHtml, ['renderDocumentHtml']],
    ['format-date', formatDate, ['formatDate', 'isTimeZone']],
    ['layout', layout, ['feedAlternates', 'renderPage', 'sanitizedHtml', 'subscribeList']],
    ['list-page', listPage, ['renderListPage']],
  ] as const)('%s exports exactly %j', (_module, exports, names) => {
    expect(Object.keys(exports).sort()).toEqual([...names])
  })
})
