import { mkdtemp, mkdir, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { loadConfig, type Config } from '../../src/config.js'
import { createLogger, type Logger } from '../../src/logger.js'
import { openSite, type Site } from '../../src/open-site.js'

/** Site settings every test site starts from. */
export const testSiteSettings = {
  title: 'Test Site',
  description: 'A site made by a test.',
  language: 'fr',
  author: { name: 'La rédaction' },
  copyright: '© 2026 Test',
}

/** A content folder with its site, in a fresh temporary folder. */
export interface TestSite extends Site {
  config: Config
  dir: string
  contentDir: string
  /** Write (or overwrite) a file of the content folder. */
  write(file: string, text: string | Buffer): Promise<void>
  /** Close the site and remove its folder. */
  dispose(): Promise<void>
}

/** Options of `createTestSite`. */
export interface TestSiteOptions {
  /** Extra fields of the configuration file (merged over defaults). */
  configFile?: Record<string, unknown>
  /** Extra environment variables. */
  env?: Record<string, string>
  /** The clock for scheduled articles; defaults to 2026-11-26T12:00:00Z. */
  now?: Date
  /** Modification time given to the initial files; defaults to `testFilesModified`, before every test date. */
  filesModified?: Date
  watch?: boolean
  /** Return before the watcher's first scan has ended (default: wait for it). */
  waitForWatcher?: boolean
  /** Where the site logs (default: nowhere). */
  logger?: Logger
  /** The path of its public address (`/news`: `BASE_URL=https://news.example/news`); none by default. */
  basePath?: string
  /** Run once the files are written, before the site loads them (to make links, say). */
  prepare?: (folders: { dir: string; contentDir: string }) => Promise<void>
}

/**
 * The addresses the HTTP tests run a site at, for `describe.each`: at the root of its
 * origin, and under a path, where every URL it writes and answers starts with `basePath`.
 */
export const siteAddresses = [
  { where: 'at the root', basePath: '' },
  { where: 'under /news', basePath: '/news' },
] as const

/** When the initial files of a test site were last modified, so `Last-Modified` does not follow the clock. */
export const testFilesModified = new Date('2026-01-01T00:00:00Z')

/** The clock tests run at unless they say otherwise. */
export const testNow = new Date('2026-11-26T12:00:00Z')

/**
 * Build a site from files, through the same code the server uses (`loadConfig`,
 * `openSite`): a factory, so no test shares mutable state with another.
 */
export async function createTestSite(files: Record<string, string | Buffer>, options: TestSiteOptions = {}): Promise<TestSite> {
  const dir = await mkdtemp(path.join(tmpdir(), 'creditline-test-'))
  const contentDir = path.join(dir, 'content')
  await mkdir(contentDir, { recursive: true })
  const write = async (file: string, text: string | Buffer) => {
    const target = path.join(contentDir, file)
    await mkdir(path.dirname(target), { recursive: true })
    await writeFile(target, text)
  }
  const modified = options.filesModified ?? testFilesModified
  for (const [file, text] of Object.entries(files)) {
    await write(file, text)
    await utimes(path.join(contentDir, file), modified, modified)
  }
  await writeFile(path.join(dir, 'creditline.config.json'), JSON.stringify({ site: testSiteSettings, ...options.configFile }))
  await options.prepare?.({ dir, contentDir })
  const config = loadConfig(
    { NODE_ENV: 'test', BASE_URL: `https://news.example${options.basePath ?? ''}`, CACHE_DIR: '', WATCH: options.watch ? '1' : '0', ...options.env },
    dir,
  )
  const now = options.now ?? testNow
  const site = await openSite(config, options.logger ?? createLogger('silent'), { now: () => now })
  if (options.waitForWatcher !== false) await site.store.watching
  return {
    ...site,
    config,
    dir,
    contentDir,
    write,
    async dispose() {
      await site.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

/** A valid article with front matter; `fields` replace or add front-matter lines verbatim. */
export function article(fields: Record<string, string> = {}, body = 'Un paragraphe.\n'): string {
  const front = { title: '"Un titre"', date: '2026-11-20T10:00:00+01:00', ...fields }
  return `---\n${Object.entries(front)
    .map(([key, value]) => `${key}: ${value}`)
    .join('\n')}\n---\n\n${body}`
}

/**
 * Problems without the warnings: the articles of most test sites have no `id:`, a warning
 * each (see `findMissingIds`) that is not what those tests are about.
 */
export function withoutWarnings<T extends { severity?: string | undefined }>(problems: T[]): T[] {
  return problems.filter((problem) => problem.severity !== 'warning')
}

/** The n-th permanent id a test gives its articles (`id:` of the front matter). */
export function testId(n: number): string {
  return `urn:uuid:00000000-0000-4000-8000-${String(n).padStart(12, '0')}`
}
