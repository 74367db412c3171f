/**
 * The static export served by Debian's nginx with the rules the export writes
 * (`nginx.conf`): every URL in every feed and page answers 200 with the service's type,
 * every file gets the service's headers, and JSON Feed paging works. Without
 * /usr/sbin/nginx the tests are skipped on a developer's machine and fail in CI (CI set),
 * where .ci/run installs it.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../src/cli/main.js'
import { securityHeadersOf } from '../../src/http/security-headers.js'
import { captureIo } from '../cli/captured-io.js'
import { findLinks } from '../helpers/find-links.js'
import { freePort } from '../helpers/free-port.js'
import { waitFor } from '../helpers/wait-for.js'
import { article, createTestSite, type TestSite } from '../helpers/test-site.js'

const nginxPath = '/usr/sbin/nginx'
const inCi = (process.env.CI ?? '') !== ''
const skipped = !existsSync(nginxPath) && !inCi
if (skipped) console.warn(`test/deploy/nginx-static-export skipped: ${nginxPath} is missing and CI is not set (install it with: apt-get install nginx)`)

interface Manifest {
  paths: Record<string, { file: string; headers: Record<string, string> }>
}

const svg = '<svg xmlns="http://www.w3.org/2000/svg"/>\n'

/** Seven articles at two a feed: archives, JSON Feed pages and list pages; accented and non-Latin tags; a picture whose name needs escaping. */
function siteFiles(): Record<string, string> {
  const files: Record<string, string> = { 'images/box.svg': svg, 'images/été 1.svg': svg }
  for (let day = 1; day <= 7; day++) {
    files[`article-${day}.md`] = article(
      { title: `"Article ${day}"`, date: `2026-11-0${day}T10:00:00+01:00`, ...(day === 1 ? { aliases: '[premier-article]' } : {}), tags: day % 2 === 0 ? '[É-commerce, "日本"]' : '[Photographie]', image: '{ src: images/box.svg, alt: "A box", credit: "Ada" }' },
      `Day ${day}, [the first one](/articles/article-1).\n\n![Summer](<images/été 1.svg> "© Samir")\n`,
    )
  }
  return files
}

// At the root of its origin, and under a path (BASE_URL=http://…/news).
describe.skipIf(skipped).each([{ basePath: '' }, { basePath: '/news' }])('a static export served by nginx at "$basePath/" with the export’s nginx.conf', ({ basePath }) => {
  let site: TestSite
  let work: string
  let out: string
  let origin: string
  let base: string
  let nginx: ChildProcess
  let manifest: Manifest
  const published = 7

  beforeAll(async () => {
    site = await createTestSite(siteFiles())
    work = await mkdtemp(path.join(tmpdir(), 'creditline-nginx-'))
    out = path.join(work, 'public')
    const port = await freePort()
    origin = `http://127.0.0.1:${port}`
    base = `${origin}${basePath}`
    const io = captureIo(site.dir, { FEED_SIZE: '2' })
    expect(await runCli(['export', '--out', out, '--base-url', base], io), io.err()).toBe(0)
    manifest = JSON.parse(await readFile(path.join(out, 'headers.json'), 'utf8')) as Manifest
    // Paths of our own: nginx's defaults (/var/log/nginx, /run) are the system's.
    const conf = path.join(work, 'nginx-main.conf')
    await writeFile(
      conf,
      [
        'daemon off;',
        'worker_processes 1;',
        // The temporary folders are private to root; a worker must read them.
        ...(process.getuid?.() === 0 ? ['user root;'] : []),
        `pid ${work}/nginx.pid;`,
        `error_log ${work}/error.log;`,
        'events { worker_connections 64; }',
        'http {',
        '  access_log off;',
        ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `  ${kind}_temp_path ${work}/${kind};`),
        `  server { listen 127.0.0.1:${port}; root ${out}; include ${out}/nginx.conf; }`,
        '}',
        '',
      ].join('\n'),
    )
    nginx = spawn(nginxPath, ['-c', conf, '-p', work, '-e', `${work}/error.log`], { stdio: ['ignore', 'ignore', 'pipe'] })
    await waitFor(async () => ((await fetch(`${base}/`).catch(() => undefined))?.status === 200 ? true : undefined), { what: 'nginx to serve the export', timeoutMs: 10_000 })
  })

  afterAll(async () => {
    if (nginx && nginx.exitCode === null) {
      const exited = new Promise((resolve) => nginx.once('exit', resolve))
      nginx.kill('SIGQUIT')
      await exited
    }
    await site?.dispose()
    if (work) await rm(work, { recursive: true, force: true })
  })

  it('answers 200 with the service’s type for every URL that a feed or page links to, from the home page and the feeds', async () => {
    const seen = new Map<string, string>()
    const queue = ['/', '/feed.xml', '/atom.xml', '/feed.json'].map((urlPath) => `${base}${urlPath}`)
    while (queue.length > 0) {
      const url = queue.shift()!.replace(/#.*$/, '')
      if (seen.has(url)) continue
      const response = await fetch(url)
      const type = response.headers.get('content-type') ?? ''
      seen.set(url, `${response.status} ${type}`)
      const urlPath = url.slice(base.length)
      expect(`${response.status} ${type}`, url).toBe(`200 ${manifest.paths[urlPath]?.headers['Content-Type']}`)
      // Every link to this server stays under the site's path.
      const links = findLinks(await response.text(), type, origin)
      expect(links.filter((link) => link !== base && !link.startsWith(`${base}/`)), url).toEqual([])
      queue.push(...links)
    }
    // Pages, topic pages and their later pages, feeds, archives and JSON Feed pages, pictures.
    const paths = [...seen.keys()].map((url) => url.slice(base.length))
    expect(paths).toEqual(expect.arrayContaining(['/articles/article-1', '/tags/e-commerce', '/page/2', '/feed.json?page=2', '/archive/1/feed.xml', '/media/images/%C3%A9t%C3%A9%201.svg']))
    expect(paths.length).toBeGreaterThan(40)
  })

  it('sends every exported URL with the headers the service sends', async () => {
    for (const [urlPath, { headers }] of Object.entries(manifest.paths)) {
      const response = await fetch(`${base}${urlPath}`)
      expect(response.status, urlPath).toBe(200)
      const { 'Last-Modified': lastModified, ...rest } = headers
      for (const [name, value] of Object.entries(rest)) expect(response.headers.get(name), `${urlPath} ${name}`).toBe(value)
      expect(response.headers.get('last-modified'), urlPath).toBe(lastModified ?? null)
    }
  })

  it('pages the JSON Feed through next_url, every article once', async () => {
    const ids: string[] = []
    let next: string | undefined = `${base}/feed.json`
    while (next) {
      const page = (await (await fetch(next)).json()) as { feed_url: string; next_url?: string; items: Array<{ id: string }> }
      expect(page.feed_url).toBe(`${base}/feed.json`)
      ids.push(...page.items.map((item) => item.id))
      next = page.next_url
    }
    expect(new Set(ids).size).toBe(published)
    expect(ids).toHaveLength(published)
  })

  it('moves an earlier address of an article (aliases:) to its page with a 301', async () => {
    const response = await fetch(`${base}/articles/premier-article`, { redirect: 'manual' })
    expect([response.status, response.headers.get('location')]).toEqual([301, `${base}/articles/article-1`])
  })

  it.skipIf(basePath === '')('answers 404 outside its path', async () => {
    expect((await fetch(`${origin}/feed.xml`)).status).toBe(404)
  })

  it.each(['/headers.json', '/nginx.conf', '/_headers', '/articles/article-1.html', '/articles/nothing'])('answers 404 for %s, which the service does not publish, with the service\'s security headers', async (urlPath) => {
    const response = await fetch(`${base}${urlPath}`)
    expect(response.status).toBe(404)
    for (const [name, value] of Object.entries(securityHeadersOf(''))) expect(response.headers.get(name), name).toBe(value)
  })
})
