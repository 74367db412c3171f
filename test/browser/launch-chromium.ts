import { existsSync } from 'node:fs'
import { chromium, type Browser, type Page } from 'playwright-core'

/**
 * Debian's Chromium, as the browser tests drive it. Without /usr/bin/chromium they are
 * skipped on a developer's machine and fail in CI (CI set), where .ci/run installs it.
 */
export const chromiumPath = '/usr/bin/chromium'
const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
const inCi = (process.env.CI ?? '') !== ''
/** Whether the chromium binary is missing. */
export const chromiumMissing = !existsSync(chromiumPath)
/** Whether the browser tests are skipped: chromium is missing and CI is not set. */
export const chromiumSkipped = chromiumMissing && !inCi
if (chromiumSkipped) console.warn(`test/browser skipped: ${chromiumPath} is missing and CI is not set (install it with: apt-get install chromium)`)

/** Launch Chromium, or fail in CI when it is missing. */
export async function launchChromium(): Promise<Browser> {
  if (chromiumMissing) throw new Error(`${chromiumPath} is missing and CI is set: .ci/run installs Debian's chromium package before the tests`)
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs })
}

/**
 * Collect what Chromium reports on a page's console about Content-Security-Policy
 * (every refused load or inline style or script is reported there) and sandboxing.
 */
export function watchPolicyReports(page: Page): string[] {
  const reports: string[] = []
  page.on('console', (message) => {
    const text = message.text()
    if (/Content Security Policy|sandbox/i.test(text)) reports.push(text)
  })
  return reports
}
