import { describe, expect, it } from 'vitest'
import * as aboutPage from '../../src/pages/about-page.js'
import * as articlePage from '../../src/pages/article-page.js'
import * as documentHtml from '../../src/pages/document-html.js'
import * as layout from '../../src/pages/layout.js'
import * as listPage from '../../src/pages/list-page.js'

describe('src/pages public API', () => {
  it.each([
    ['about-page', ['renderAboutPage'], aboutPage],
    ['article-page', ['renderArticlePage'], articlePage],
    ['document-html', ['renderDocumentHtml'], documentHtml],
    ['layout', ['feedAlternates', 'renderPage', 'sanitizedHtml', 'subscribeList'], layout],
    ['list-page', ['countListPages', 'renderListPage'], listPage],
  ] as const)('%s exports exactly %j', (_module, names, exports) => {
    expect(Object.keys(exports).sort()).toEqual([...names])
  })
})
