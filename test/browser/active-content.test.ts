/**
 * Active content in the content folder runs nothing on the site's origin: an SVG with
 * scripts is sandboxed, an .html (or any type outside the picture allowlist) is never
 * served. Opened in Debian's Chromium, as a person who follows a /media/ link would.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromiumPath, chromiumSkipped, launchChromium } from './launch-chromium.js'
import { startBundledSite, type RunningSite } from './start-bundled-site.js'

/** Every way the files below try to run: a dialog, a request home, a mark on the document. */
function attack(what: string): string {
  return `alert('${what}'); fetch('/beacon?from=${what}'); document.documentElement.setAttribute('data-ran', '${what}')`
}

const activeFiles = {
  'images/active.svg': `<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30" onload="${attack('onload')}"><script>${attack('script')}</script><rect width="40" height="30" fill="teal"/></svg>\n`,
  'images/page.html': `<!doctype html><title>x</title><body onload="${attack('html-onload')}"><script>${attack('html')}</script></body>\n`,
  'images/page.xhtml': `<html xmlns="http://www.w3.org/1999/xhtml"><body><script>${attack('xhtml')}</script></body></html>\n`,
  'images/data.xml': `<?xml version="1.0"?><x:script xmlns:x="http://www.w3.org/1999/xhtml">${attack('xml')}</x:script>\n`,
  'images/app.js': `${attack('js')}\n`,
}

describe.skipIf(chromiumSkipped)(chromiumSkipped ? `active content in Chromium (skipped: ${chromiumPath} is missing and CI is not set)` : 'active content in Chromium', () => {
  let site: RunningSite | undefined
  let browser: Browser | undefined
  let context: BrowserContext

  beforeAll(async () => {
    browser = await launchChromium()
    site = await startBundledSite({ extraFiles: activeFiles })
    context = await browser.newContext()
    await context.route('**/*', (route) => (new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort('blockedbyclient')))
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await site?.close()
  })

  /** Open a URL in a fresh tab and report what ran: dialogs, beacons, the document's mark. */
  async function open(path: string): Promise<{ status: number | undefined; contentType: string | undefined; dialogs: string[]; beacons: string[]; mark: string | null }> {
    const page: Page = await context.newPage()
    const dialogs: string[] = []
    const beacons: string[] = []
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message())
      void dialog.dismiss()
    })
    page.on('request', (request) => {
      if (request.url().includes('/beacon')) beacons.push(request.url())
    })
    try {
      const response = await page.goto(`${site!.baseUrl}${path}`, { waitUntil: 'load' })
      // Read from Playwright's own world: the page's may have scripts disabled (sandbox).
      const mark = await page.locator(':root').getAttribute('data-ran', { timeout: 5000 })
      return { status: response?.status(), contentType: response?.headers()['content-type'], dialogs, beacons, mark }
    } finally {
      await page.close()
    }
  }

  it('/media/images/active.svg is shown as a picture, and neither its script nor its onload runs', async () => {
    const opened = await open('/media/images/active.svg')
    expect(opened.status).toBe(200)
    expect(opened.contentType).toBe('image/svg+xml; charset=utf-8')
    expect(opened).toMatchObject({ dialogs: [], beacons: [], mark: null })
  })

  it.each(['/media/images/page.html', '/media/images/page.xhtml', '/media/images/data.xml', '/media/images/app.js'])('%s is 404 and runs nothing', async (path) => {
    const opened = await open(path)
    expect(opened.status).toBe(404)
    expect(opened.contentType).toBe('text/plain; charset=utf-8')
    expect(opened).toMatchObject({ dialogs: [], beacons: [], mark: null })
  })
})
