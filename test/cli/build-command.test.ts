import { spawn } from 'node:child_process'
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import request from 'supertest'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../src/cli/main.js'
import { toStaticFile } from '../../src/cli/static-files.js'
import { loadContent } from '../../src/content/load-content.js'
import { fragmentDir } from '../../src/feeds/fragment-store.js'
import { listDocumentPaths } from '../../src/site/site-documents.js'
import { article, createTestSite, type TestSite, testId } from '../helpers/test-site.js'
import { captureIo } from './captured-io.js'

interface Manifest {
  generator: string
  baseUrl: string
  paths: Record<string, { file: string; headers: Record<string, string> }>
}

// Headers that depend on the request or on the connection, which a static host sets itself,
// and the surrogate keys, which only a purged cache in front of the service reads.
const perRequestHeaders = new Set(['date', 'etag', 'vary', 'content-length', 'content-encoding', 'connection', 'keep-alive', 'xkey', 'surrogate-key', 'cache-tag'])

/** The id of a process that has exited. */
async function pidOfExited(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' })
  await new Promise((resolve) => child.once('exit', resolve))
  return child.pid!
}

const svg = '<svg xmlns="http://www.w3.org/2000/svg"/>\n'

/** Articles enough for RFC 5005 archives and JSON Feed pages at a feed size of 2. */
function siteFiles(): Record<string, string> {
  const files: Record<string, string> = {
    'images/box.svg': svg,
    'images/été 1.svg': svg,
    'notes.txt': 'not a picture\n',
  }
  for (let day = 1; day <= 7; day++) {
    const tags = day % 2 === 0 ? '[Amazon, "日本"]' : '[Amazon, Photographie]'
    files[`article-${day}.md`] = article(
      { title: `"Article ${day}"`, date: `2026-11-0${day}T10:00:00+01:00`, tags, image: '{ src: images/box.svg, alt: "A box", credit: "Ada" }', id: testId(day) },
      `Day ${day}.\n\n![Summer](<images/été 1.svg> "© Samir")\n`,
    )
  }
  files['draft.md'] = article({ draft: 'true' })
  files['later.md'] = article({ date: '2027-01-01T00:00:00Z' })
  return files
}

/** The body exactly as sent, not decoded or parsed. */
async function fetchRaw(site: TestSite, urlPath: string): Promise<{ body: Buffer; headers: Record<string, string>; status: number }> {
  const response = await request(site.app)
    .get(urlPath)
    .set('Accept-Encoding', 'identity')
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => done(null, Buffer.concat(chunks)))
    })
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(response.headers as Record<string, string>)) {
    if (!perRequestHeaders.has(name)) headers[name] = value
  }
  return { body: response.body as Buffer, headers, status: response.status }
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]))
}

describe('creditline export', () => {
  let site: TestSite
  beforeAll(async () => {
    site = await createTestSite(siteFiles(), { configFile: { feed: { size: 2 } } })
  })
  afterAll(() => site.dispose())

  it.each([
    { args: [] as string[], label: 'rendering on the main thread' },
    { args: ['--jobs', '2'], label: 'rendering in two worker threads' },
  ])('build --out out $args writes the server’s bytes and headers for every path ($label)', async ({ args }) => {
    const out = path.join(site.dir, `out-${args.length}`)
    const io = captureIo(site.dir)
    expect(await runCli(['export', '--out', out, ...args], io)).toBe(0)
    expect(io.err()).toBe('')
    const manifest = JSON.parse(await readFile(path.join(out, 'headers.json'), 'utf8')) as Manifest
    const catalog = site.store.catalog
    const expected = [...listDocumentPaths({ config: site.config, catalog, renderer: site.renderer }), ...[...catalog.media.keys()].map((file) => `/media/${file.split('/').map(encodeURIComponent).join('/')}`)]
    expect(Object.keys(manifest.paths).sort()).toEqual(expected.sort())
    expect(expected).toContain('/feed.json?page=2')
    expect(expected).toContain('/archive/1/atom.xml')
    for (const [urlPath, { file, headers }] of Object.entries(manifest.paths)) {
      const served = await fetchRaw(site, urlPath)
      expect(served.status, urlPath).toBe(200)
      expect((await readFile(path.join(out, file))).equals(served.body), `bytes of ${urlPath} in ${file}`).toBe(true)
      expect(lowerCaseKeys(headers), `headers of ${urlPath}`).toEqual(served.headers)
    }
    expect(io.out()).toBe(`7 articles published, ${expected.length} files written to out-${args.length}\n`)
  })

  it('build --jobs 2 with every article in the front-matter index writes the server’s bytes for every path', async () => {
    // The index keeps no entry for a file changed in the last seconds: saved as if later.
    const cacheDir = path.join(site.dir, 'cache-indexed')
    const defaults = { language: site.config.site.language, author: site.config.site.author }
    ;(await loadContent(site.contentDir, defaults, { cacheDir })).saveIndex(Date.now() + 60_000)
    const indexed = await loadContent(site.contentDir, defaults, { cacheDir })
    expect(indexed.entries.filter((entry) => entry.article && entry.article.body === undefined && !Object.hasOwn(entry.article, 'title'))).toHaveLength(9)
    // The first build stores every RSS and Atom item in the cache; the next one reads them
    // there: storing an item again would replace its file (a new inode).
    let stored: string[] = []
    for (const [round, jobs] of [[1, '2'], [2, '1']] as const) {
      const out = path.join(site.dir, `out-indexed-${round}`)
      const io = captureIo(site.dir, { CACHE_DIR: cacheDir })
      expect(await runCli(['export', '--out', out, '--jobs', jobs], io)).toBe(0)
      expect(io.err()).toBe('')
      const manifest = JSON.parse(await readFile(path.join(out, 'headers.json'), 'utf8')) as Manifest
      expect(Object.keys(manifest.paths)).toContain('/articles/article-7')
      for (const [urlPath, { file }] of Object.entries(manifest.paths)) {
        expect((await readFile(path.join(out, file))).equals((await fetchRaw(site, urlPath)).body), `round ${round}: bytes of ${urlPath} in ${file}`).toBe(true)
      }
      // 7 published articles, as an RSS item and an Atom entry each.
      const files = (await readdir(fragmentDir(cacheDir), { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile())
      const identities = await Promise.all(files.map(async (entry) => `${entry.name} ${(await stat(path.join(entry.parentPath, entry.name))).ino}`))
      expect(identities, `round ${round}`).toHaveLength(14)
      if (round > 1) expect(identities.sort()).toEqual(stored)
      stored = identities.sort()
    }
  })

  it('build maps URLs to the files a static host serves for them', async () => {
    const out = path.join(site.dir, 'out-map')
    expect(await runCli(['export', '--out', out], captureIo(site.dir))).toBe(0)
    const manifest = JSON.parse(await readFile(path.join(out, 'headers.json'), 'utf8')) as Manifest
    const files = Object.fromEntries(Object.entries(manifest.paths).map(([urlPath, entry]) => [urlPath, entry.file]))
    expect(files).toMatchObject({
      '/': 'index.html',
      '/about': 'about.html',
      '/articles/article-1': 'articles/article-1.html',
      '/tags/amazon': 'tags/amazon.html',
      '/tags/amazon/feed.xml': 'tags/amazon/feed.xml',
      '/feed.json?page=2': 'page/2/feed.json',
      '/tags/amazon/feed.json?page=2': 'tags/amazon/page/2/feed.json',
      '/archive/1/feed.xml': 'archive/1/feed.xml',
      '/media/images/%C3%A9t%C3%A9%201.svg': 'media/images/été 1.svg',
      '/style.css': 'style.css',
    })
    // The file's time is its Last-Modified, for hosts that derive the header from it.
    const page = manifest.paths['/articles/article-1']!
    expect((await stat(path.join(out, page.file))).mtime.toUTCString()).toBe(page.headers['Last-Modified'])
  })

  it('build writes _headers rules that give every path its headers, one rule for all articles', async () => {
    const out = path.join(site.dir, 'out-headers')
    expect(await runCli(['export', '--out', out], captureIo(site.dir))).toBe(0)
    const manifest = JSON.parse(await readFile(path.join(out, 'headers.json'), 'utf8')) as Manifest
    const rules = parseHeadersFile(await readFile(path.join(out, '_headers'), 'utf8'))
    expect(rules.filter((rule) => rule.pattern.startsWith('/articles/')).map((rule) => rule.pattern)).toEqual(['/articles/*'])
    for (const [urlPath, { file, headers }] of Object.entries(manifest.paths)) {
      // Query URLs are rewritten to their file (see _redirects); rules match the file's path.
      const headersPath = urlPath.includes('?') ? `/${file.split('/').map(encodeURIComponent).join('/')}` : urlPath
      const matching = rules.filter((rule) => (rule.pattern.endsWith('/*') ? headersPath.startsWith(rule.pattern.slice(0, -1)) : rule.pattern === headersPath))
      expect(matching.map((rule) => rule.pattern), urlPath).toHaveLength(1)
      const { 'Last-Modified': _lastModified, ...expected } = headers
      expect(matching[0]!.headers, urlPath).toEqual(expected)
    }
  })

  it('build writes _redirects rules that send every JSON Feed page URL to its file', async () => {
    const out = path.join(site.dir, 'out-redirects')
    expect(await runCli(['export', '--out', out], captureIo(site.dir))).toBe(0)
    const manifest = JSON.parse(await readFile(path.join(out, 'headers.json'), 'utf8')) as Manifest
    const rules = (await readFile(path.join(out, '_redirects'), 'utf8'))
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => line.split(/\s+/))
    const pages = Object.entries(manifest.paths).filter(([urlPath]) => urlPath.includes('?'))
    expect(pages.length).toBeGreaterThan(1)
    for (const [urlPath, { file }] of pages) {
      const url = new URL(urlPath, 'https://news.example')
      const targets = rules.flatMap(([from, query, to, status]) => {
        const names: string[] = []
        const pattern = new RegExp(`^${from!.replace(/:([a-z]+)/g, (_match, name: string) => (names.push(name), '([^/]+)'))}$`)
        const match = pattern.exec(url.pathname)
        const [key, placeholder] = query!.split('=')
        const value = url.searchParams.get(key!)
        if (!match || value === null) return []
        const values = new Map(names.map((name, index) => [name, match[index + 1]!]))
        values.set(placeholder!.slice(1), value)
        expect(status).toBe('200!')
        return [to!.replace(/:([a-z]+)/g, (_match, name: string) => values.get(name)!)]
      })
      // The host decodes the rewritten path to find the file.
      expect(targets.map(decodeURI), urlPath).toEqual([`/${file}`])
    }
  })
})

describe('creditline export output folder', () => {
  let site: TestSite | undefined
  afterEach(async () => {
    await site?.dispose()
    site = undefined
  })

  it('build --out replaces a previous build whole, so a removed article leaves', async () => {
    site = await createTestSite({ 'a.md': article({ title: '"A"' }), 'b.md': article({ title: '"B"' }) })
    const out = path.join(site.dir, 'out')
    expect(await runCli(['export', '--out', 'out'], captureIo(site.dir))).toBe(0)
    expect((await stat(path.join(out, 'articles', 'b.html'))).isFile()).toBe(true)
    await rm(path.join(site.contentDir, 'b.md'))
    expect(await runCli(['export', '--out', 'out'], captureIo(site.dir))).toBe(0)
    await expect(stat(path.join(out, 'articles', 'b.html'))).rejects.toMatchObject({ code: 'ENOENT' })
    expect((await stat(path.join(out, 'articles', 'a.html'))).isFile()).toBe(true)
  })

  it.each([
    { args: ['export'], stderr: 'creditline export: export needs --out <dir>\n' },
    { args: ['export', '--out', 'content/site'], stderr: 'creditline export: --out ' },
    { args: ['export', '--out', 'full'], stderr: 'creditline export: --out ' },
    { args: ['export', '--out', 'out', '--jobs', '0'], stderr: 'creditline export: --jobs expects a whole number from 1, got "0"\n' },
  ])('runCli($args) refuses with exit code 2', async ({ args, stderr }) => {
    site = await createTestSite({ 'a.md': article() })
    await mkdir(path.join(site.dir, 'full'))
    await writeFile(path.join(site.dir, 'full', 'keep.txt'), 'precious\n')
    const io = captureIo(site.dir)
    expect(await runCli(args, io)).toBe(2)
    expect(io.err().startsWith(stderr)).toBe(true)
    expect(await readFile(path.join(site.dir, 'full', 'keep.txt'), 'utf8')).toBe('precious\n')
  })

  it('export removes the staging folders killed exports left beside --out, and keeps a running export’s', async () => {
    site = await createTestSite({ 'a.md': article() })
    const gone = await pidOfExited()
    const running = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' })
    try {
      for (const name of [`.out.creditline-${gone}`, `.out.creditline-${gone}.old`, `.out.creditline-${running.pid}`, `.other.creditline-${gone}`]) {
        await mkdir(path.join(site.dir, name, 'articles'), { recursive: true })
        await writeFile(path.join(site.dir, name, 'articles', 'a.html'), 'left behind\n')
      }
      expect(await runCli(['export', '--out', 'out'], captureIo(site.dir))).toBe(0)
      expect((await readdir(site.dir)).filter((name) => name.startsWith('.')).sort()).toEqual([`.other.creditline-${gone}`, `.out.creditline-${running.pid}`])
    } finally {
      running.kill()
    }
  })

  it('build with a content folder that does not exist exits 1', async () => {
    site = await createTestSite({})
    const io = captureIo(site.dir, { CONTENT_DIR: 'nowhere' })
    expect(await runCli(['export', '--out', 'out'], io)).toBe(1)
    expect(io.err()).toBe('creditline export: nowhere: no such content folder\n')
  })

  it.each([
    { args: ['--base-url', 'https://news.example/blog?x'], env: {} as Record<string, string>, stderr: 'creditline export: --base-url: expected an origin such as "https://news.example", or one with a path such as "https://example.com/news", without a query or fragment, got "https://news.example/blog?x"\n' },
    { args: [], env: { BASE_URL: 'https://news.example/blog?x' }, stderr: 'creditline export: environment: BASE_URL: expected an origin such as "https://news.example", or one with a path such as "https://example.com/news", without a query or fragment, got "https://news.example/blog?x"\n' },
  ])('export with a bad origin from $args $env names where it came from', async ({ args, env, stderr }) => {
    site = await createTestSite({ 'a.md': article() })
    const io = captureIo(site.dir, env)
    expect(await runCli(['export', '--out', 'out', ...args], io)).toBe(2)
    expect(io.err()).toBe(stderr)
  })

  it('build warns when every URL would point at localhost', async () => {
    site = await createTestSite({ 'a.md': article({ id: testId(1) }) })
    const io = captureIo(site.dir, { BASE_URL: 'http://localhost:3000' })
    expect(await runCli(['export', '--out', 'out'], io)).toBe(0)
    expect(io.err()).toBe('warning: every URL will start with http://localhost:3000; pass --base-url (or set BASE_URL) to the public origin\n')
  })
})

describe('toStaticFile', () => {
  it.each([
    ['/', 'text/html; charset=utf-8', 'index.html'],
    ['/articles/x', 'text/html; charset=utf-8', 'articles/x.html'],
    ['/tags/%E6%97%A5%E6%9C%AC', 'text/html; charset=utf-8', 'tags/日本.html'],
    ['/tags/x/feed.json?page=3', 'application/feed+json; charset=utf-8', 'tags/x/page/3/feed.json'],
    ['/authors/y/archive/2/atom.xml', 'application/atom+xml; charset=utf-8', 'authors/y/archive/2/atom.xml'],
    ['/media/a%20b/c.png', 'image/png', 'media/a b/c.png'],
  ])('toStaticFile(%j, %j) is %j', (urlPath, mediaType, file) => {
    expect(toStaticFile(urlPath, mediaType).file).toBe(file)
  })

  it.each(['/media/..%2F..%2Fetc/passwd', '/articles/..', '/feed.xml?page=2', '/a//b'])('toStaticFile(%j) throws', (urlPath) => {
    expect(() => toStaticFile(urlPath, 'text/plain')).toThrow(/cannot map/)
  })
})

/** Netlify's `_headers` syntax: a path line, then indented `Name: value` lines. */
function parseHeadersFile(text: string): Array<{ pattern: string; headers: Record<string, string> }> {
  const rules: Array<{ pattern: string; headers: Record<string, string> }> = []
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue
    if (!line.startsWith(' ')) {
      rules.push({ pattern: line, headers: {} })
      continue
    }
    const colon = line.indexOf(':')
    rules.at(-1)!.headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim()
  }
  return rules
}
