import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig, type Config } from '../../src/config.js'
import { buildCatalog } from '../../src/content/build-catalog.js'
import { loadContent } from '../../src/content/load-content.js'
import { ArticleRenderer } from '../../src/markdown/render-article.js'
import { renderMarkdown } from '../../src/markdown/render-markdown.js'
import { inspectBody, listContentProblems } from '../../src/site/content-problems.js'
import { listDocumentPaths, resolveListedDocument } from '../../src/site/site-documents.js'
import { testNow, testSiteSettings } from '../helpers/test-site.js'
import { articleFile, markdownBody } from './article-arbitraries.js'
import { findForbiddenCharacter, findJsonFeedProblem, findUnsafeHtml, findXmlProblem, type Finding } from './document-checks.js'

// `npm run fuzz -- --runs N` sets this: N cases spread over the properties of this file,
// each its `share` (a case of the whole site costs about thirty of the bytes property's).
const fuzzRuns = Number(process.env.CREDITLINE_FUZZ_RUNS ?? 0)
/** Cases of one property: its share of a fuzz run, or `inSuite` in `npm test`. */
function runsOf(inSuite: number, share: number): fc.Parameters<unknown> {
  return fuzzRuns > 0 ? { numRuns: Math.ceil(fuzzRuns * share) } : { numRuns: inSuite }
}

// A bound on each property in npm test; a fuzz run takes as long as its cases take.
const timeoutMs = fuzzRuns > 0 ? 0 : 120_000

// No document of a site of two articles comes near this: a bound, not a budget.
const maxDocumentBytes = 4 * 1024 * 1024
// The smallest feed budget there is: generated items often break it, so shortened items are checked too.
const feedMaxBytes = 10_000
const baseUrl = 'https://news.example'

let dir: string
let config: Config
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'creditline-properties-'))
  await writeFile(path.join(dir, 'creditline.config.json'), JSON.stringify({ site: testSiteSettings, feed: { size: 2, maxBytes: feedMaxBytes } }))
  config = loadConfig({ NODE_ENV: 'test', BASE_URL: baseUrl, CACHE_DIR: '' }, dir)
})
afterAll(() => rm(dir, { recursive: true, force: true }))

let caseNumber = 0

/**
 * Load a content folder of these files as the server does, list its problems as `check`
 * does, then make every document it publishes and check each by its type. Throws when
 * anything throws; returns the first thing wrong in a document.
 *
 * @param fixed files that are the same in every case: their documents alone are not made again
 */
async function checkSite(files: Record<string, string | Buffer>, fixed: ReadonlySet<string> = new Set()): Promise<Finding> {
  const contentDir = path.join(dir, `case-${++caseNumber}`)
  try {
    await mkdir(contentDir)
    for (const [file, bytes] of Object.entries(files)) await writeFile(path.join(contentDir, file), bytes)
    const { entries, media } = await loadContent(contentDir, { language: config.site.language, author: config.site.author })
    for (const entry of entries) {
      for (const problem of entry.problems) if (problem.file === '' || problem.field === '' || problem.message === '') return `a problem without file, field or message: ${JSON.stringify(problem)}`
    }
    const catalog = buildCatalog(entries, media, testNow)
    const renderer = new ArticleRenderer({ baseUrl, cacheDir: undefined })
    // As the server's audit does: a body too large to render inline is rendered in the worker first.
    await renderer.prepare(entries.flatMap((entry) => (entry.article ? [entry.article] : [])))
    listContentProblems({ entries, catalog, now: testNow, baseUrl, contentDir }, (article) => inspectBody(article, renderer))
    // The documents of the fixed files alone are the same every time: made only when a generated file publishes.
    if (catalog.articles.every((article) => fixed.has(article.file))) return undefined
    const context = { config: { ...config, contentDir }, catalog, renderer }
    for (const urlPath of listDocumentPaths(context)) {
      let document
      try {
        // An article held back for its body (nested too deep) is a 503, never a page without its text.
        document = resolveListedDocument(context, urlPath)
      } catch (error) {
        return (error as Error).message
      }
      if (!document) continue
      if (document.body.length > maxDocumentBytes) return `${urlPath} is ${document.body.length} bytes`
      if (isFeed(document.mediaType) && document.body.length > feedMaxBytes) return `${urlPath} is ${document.body.length} bytes, over feed.maxBytes`
      const text = document.body.toString('utf8')
      const finding = findDocumentProblem(document.mediaType, text)
      if (finding) return `${urlPath}: ${finding}`
    }
    return undefined
  } finally {
    await rm(contentDir, { recursive: true, force: true })
  }
}

function isFeed(mediaType: string): boolean {
  return ['application/rss+xml', 'application/atom+xml', 'application/feed+json'].some((type) => mediaType.startsWith(type))
}

function findDocumentProblem(mediaType: string, text: string): Finding {
  if (mediaType.startsWith('application/rss+xml') || mediaType.startsWith('application/atom+xml') || mediaType.startsWith('application/xml')) return findXmlProblem(text)
  if (mediaType.startsWith('application/feed+json')) return findJsonFeedProblem(text)
  if (mediaType.startsWith('text/html')) return findForbiddenCharacter(text) ?? findUnsafeHtml(text, { fragment: false, absolute: false })
  return undefined
}

const validArticle = '---\ntitle: "Voisin"\ndate: 2026-11-19T10:00:00+01:00\ntags: [Voisin]\n---\n\nUn voisin valide.\n'

describe('properties of the whole site', () => {
  it('any bytes as an article file: loading, the problem list and every document hold', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength: 600 }).map((bytes) => Buffer.from(bytes)), fc.string({ unit: 'binary', maxLength: 300 }).map((text) => Buffer.from(`---\n${text}`))), async (bytes) => {
        expect(await checkSite({ 'a.md': bytes, 'b.md': validArticle }, new Set(['b.md']))).toBeUndefined()
      }),
      runsOf(100, 0.6),
    )
  }, timeoutMs)

  it('generated articles with hostile front matter and Markdown: feeds parse, pages are safe, URLs absolute', async () => {
    await fc.assert(
      // Half of them long enough to break feed.maxBytes: sent shortened, hostile fields and all.
      fc.asyncProperty(articleFile, fc.boolean(), async (file, long) => {
        expect(await checkSite({ 'a.md': long ? `${file}\n${'Un long paragraphe. '.repeat(600)}\n` : file, 'c.md': validArticle })).toBeUndefined()
      }),
      runsOf(100, 0.05),
    )
  }, timeoutMs)
})

describe('properties of rendering', () => {
  it('renderMarkdown keeps no script, event attribute or script URL, and every URL absolute', () => {
    fc.assert(
      fc.property(markdownBody, (body) => {
        const rendered = renderMarkdown(body, { baseUrl, pageUrl: `${baseUrl}/articles/a`, file: 'a.md' })
        expect(findUnsafeHtml(rendered.html, { fragment: true, absolute: true })).toBeUndefined()
      }),
      runsOf(200, 0.35),
    )
  }, timeoutMs)
})
