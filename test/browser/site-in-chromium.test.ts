/**
 * The bundled site as a person sees it: Debian's headless Chromium, driven by
 * playwright-core, opens the real app on 127.0.0.1 and reads what is rendered, not
 * the bytes. Screenshots land in test-artifacts/ for a person to look at.
 *
 * Without /usr/bin/chromium the tests are skipped on a developer's machine and fail
 * in CI (CI set), where .ci/run installs it.
 */
import { mkdir } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromiumPath, chromiumSkipped as skipped, launchChromium, watchPolicyReports } from './launch-chromium.js'
import { startBundledSite, type RunningSite } from './start-bundled-site.js'

/*
 * The few browser globals the page functions below use, declared for this module only:
 * the project's TypeScript lib has no DOM, and referencing it would let Node code use
 * `document` and still type-check.
 */
interface BrowserElement {
  localName: string
  scrollHeight: number
  getBoundingClientRect(): { bottom: number }
}
interface BrowserImage {
  src: string
  complete: boolean
  naturalWidth: number
}
declare const document: { documentElement: BrowserElement; contentType: string; styleSheets: Iterable<{ href: string | null }> }
declare function getComputedStyle(element: BrowserElement, pseudoElement: string): { display: string; content: string }
declare function getSelection(): { selectAllChildren(node: BrowserElement): void; removeAllRanges(): void; toString(): string } | null

const artifactsDir = fileURLToPath(new URL('../../test-artifacts/', import.meta.url))
const viewport = { width: 1280, height: 900 }

const ratatouille = '« Ratatouille » : Amazon prépare une grande opération pour (re)séduire les clients français'
const allCredits = ['© Shutterstock', '© Christian Wiediger via Unsplash', '© Amazon', 'Bloomberg']

/** HTML pages: the list page shows lead pictures only, so the home page has one picture credit. */
const htmlPages = [
  { name: 'home', path: '/', claim: 'the site title, the article title, the lead picture credit and the source', title: 'Creditline', heading: 'Creditline', texts: [ratatouille, '© Shutterstock', 'Bloomberg'], figcaptions: ['© Shutterstock'] },
  {
    name: 'article',
    path: '/articles/amazon-operation-ratatouille',
    claim: 'its title, its three picture credits under their pictures and its source',
    title: ratatouille,
    heading: ratatouille,
    texts: allCredits,
    figcaptions: ['© Shutterstock', '© Christian Wiediger via Unsplash', '© Amazon'],
  },
]

/**
 * XML feeds, each styled by /feed.css through its xml-stylesheet processing instruction:
 * the authors as one list, and each article's address (CSS cannot make it a link).
 */
const feedTexts = ['Creditline', ratatouille, ...allCredits]
const xmlFeeds = [
  { name: 'rss', path: '/feed.xml', root: 'rss', feedType: 'application/rss+xml', texts: [...feedTexts, 'Ada Martin, Samir Haddad', '/articles/amazon-operation-ratatouille'], heading: ['channel', 'title'], subheading: ['channel', 'description'] },
  // Atom's separators and addresses are generated content, which a selection leaves out: checked on their own.
  { name: 'atom', path: '/atom.xml', root: 'feed', feedType: 'application/atom+xml', texts: [...feedTexts, 'Ada Martin', 'Samir Haddad'], heading: ['title'], subheading: ['subtitle'] },
]

describe.skipIf(skipped)(skipped ? `the bundled site in Chromium (skipped: ${chromiumPath} is missing and CI is not set)` : 'the bundled site in Chromium', () => {
  let site: RunningSite | undefined
  let browser: Browser | undefined
  let context: BrowserContext
  let version = ''

  beforeAll(async () => {
    await mkdir(artifactsDir, { recursive: true })
    browser = await launchChromium()
    site = await startBundledSite()
    version = browser.version()
    context = await browser.newContext({ viewport, locale: 'fr-FR', timezoneId: 'UTC' })
    // Tests reach nothing beyond 127.0.0.1, whatever a page links to.
    await context.route('**/*', (route) => (new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort('blockedbyclient')))
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await site?.close()
  })

  /**
   * A fresh tab, closed after `use`, so one test's viewport or state never leaks into
   * another. Whatever it shows must need nothing its Content-Security-Policy refuses.
   */
  async function withPage<T>(use: (page: Page) => Promise<T>): Promise<T> {
    const page = await context.newPage()
    const reports = watchPolicyReports(page)
    try {
      const result = await use(page)
      expect(reports, 'Content-Security-Policy reports').toEqual([])
      return result
    } finally {
      await page.close()
    }
  }

  it.each(htmlPages.map((row) => [row.path, row.claim, row] as const))('%s shows %s', async (_path, _claim, { name, path, title, heading, texts, figcaptions }) => {
    await withPage(async (page) => {
      const response = await page.goto(`${site!.baseUrl}${path}`, { waitUntil: 'load' })
      expect(response?.status()).toBe(200)
      expect(await page.title()).toBe(title)
      expect(await page.locator('h1').first().innerText()).toBe(heading)
      // innerText is the rendered text: hidden elements do not count.
      const visible = await page.locator('body').innerText()
      for (const expected of texts) expect(visible, `visible text of ${path}`).toContain(expected)
      const captions = await page.locator('figure > figcaption').allInnerTexts()
      expect(captions).toEqual(expect.arrayContaining(figcaptions))
      // Every credited picture is actually shown, not a broken image beside its credit.
      const images = await page.locator('figure img').evaluateAll((elements) =>
        elements.map((element) => {
          const img = element as unknown as BrowserImage
          return { src: img.src, shown: img.complete && img.naturalWidth > 0 }
        }),
      )
      expect(images.length).toBeGreaterThanOrEqual(figcaptions.length)
      expect(images.filter((image) => !image.shown)).toEqual([])
      await page.screenshot({ path: `${artifactsDir}chromium-${name}.png`, fullPage: true })
    })
  })

  it.each(xmlFeeds.map((row) => [row.path, row] as const))('%s renders styled by /feed.css, with the subscribe note, its title first, its titles, addresses, authors, credits and source', async (_path, { name, path, root, feedType, texts, heading, subheading }) => {
    await withPage(async (page) => {
      const response = await page.goto(`${site!.baseUrl}${path}`, { waitUntil: 'load' })
      expect(response?.status()).toBe(200)
      const servedAs = response?.headers()['content-type']
      // Chromium shows application/rss+xml and application/atom+xml as source text (a
      // text/plain document wrapped in <html><pre>); a rendered feed keeps its own root.
      const rendered = await page.evaluate(() => ({ root: document.documentElement.localName, contentType: document.contentType }))
      expect(rendered.root, `Chromium ${version} rendered ${path} (served as ${servedAs}) as ${rendered.contentType}`).toBe(root)
      const sheets = await page.evaluate(() => [...document.styleSheets].map((sheet) => sheet.href))
      expect(sheets).toEqual([`${site!.baseUrl}/feed.css`])
      // The note is the root's ::before content: wait for the style, with a deadline.
      const note = await page.waitForFunction(
        () => {
          const before = getComputedStyle(document.documentElement, '::before')
          return before.display !== 'none' && before.content.includes('To subscribe') ? { content: before.content, display: before.display } : undefined
        },
        undefined,
        { timeout: 10_000 },
      )
      const { content, display } = (await note.jsonValue())!
      expect(display).toBe('block')
      expect(content).toContain("copy this page's address into your feed reader")
      expect(content).toContain("pour vous abonner, copiez l'adresse de cette page")
      // What a person sees: selecting the whole page copies rendered text only, so
      // elements the stylesheet hides (content:encoded, links, ids) are left out.
      const visible = await page.evaluate(() => {
        const selection = getSelection()!
        selection.selectAllChildren(document.documentElement)
        const shown = selection.toString()
        selection.removeAllRanges()
        return shown
      })
      for (const expected of texts) expect(visible, `visible text of ${path}`).toContain(expected)
      expect(visible).not.toContain('<?xml')
      // The title above the description, wherever the feed writes it (Atom writes it after).
      const top = (names: string[]) =>
        page.evaluate((path) => {
          let element = document.documentElement
          for (const name of path) element = [...(element as unknown as { children: Iterable<BrowserElement> }).children].find((child) => child.localName === name)!
          return element.getBoundingClientRect().bottom
        }, names)
      expect(await top(heading)).toBeLessThan(await top(subheading))
      if (root === 'feed') {
        const generated = await page.evaluate(() => {
          const kids = (element: BrowserElement) => [...(element as unknown as { children: Iterable<BrowserElement & { getAttribute(name: string): string | null }> }).children]
          const entries = kids(document.documentElement).filter((child) => child.localName === 'entry')
          return entries.map((entry) => ({
            separators: kids(entry).filter((child) => child.localName === 'author').map((author) => getComputedStyle(author, '::before').content),
            address: kids(entry).filter((child) => child.localName === 'link' && child.getAttribute('rel') === 'alternate').map((link) => getComputedStyle(link, '::after').content),
          }))
        })
        expect(generated.map((entry) => entry.separators)).toContainEqual(['none', '","'])
        expect(generated.flatMap((entry) => entry.address)).toContain(`"${site!.baseUrl}/articles/amazon-operation-ratatouille"`)
      }
      expect(visible).not.toContain('<figcaption>')
      await screenshotWholeDocument(page, `${artifactsDir}chromium-${name}-feed.png`)
      // A feed reader (no preference, or naming the feed type) still gets the feed's own type.
      for (const accept of [undefined, '*/*', `${feedType}, application/xml;q=0.9`]) {
        const fetched = await fetch(`${site!.baseUrl}${path}`, { headers: accept ? { accept } : {} })
        await fetched.arrayBuffer()
        expect(fetched.headers.get('content-type'), `Accept: ${accept}`).toBe(`${feedType}; charset=utf-8`)
        expect((fetched.headers.get('vary') ?? '').split(',').map((item) => item.trim())).toEqual(['Accept', 'Accept-Encoding'])
      }
    })
  })
})

/**
 * Screenshot a whole XML document. Playwright's `fullPage` waits forever on an XML
 * document in Chromium (measured with playwright-core 1.65 and Chromium 156), so the
 * viewport is grown to the document's height instead (capped to keep files small).
 */
async function screenshotWholeDocument(page: Page, file: string): Promise<void> {
  const height = await page.evaluate(() => Math.ceil(Math.max(document.documentElement.scrollHeight, document.documentElement.getBoundingClientRect().bottom)))
  await page.setViewportSize({ width: viewport.width, height: Math.min(Math.max(height, viewport.height), 8000) })
  await page.screenshot({ path: file })
}
