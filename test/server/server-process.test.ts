import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { get } from 'node:http'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { elements, parseHtml, visibleText } from '../fixtures/parse-html.js'
import { slowListBody } from '../fixtures/problem-folders.js'
import { freePort } from '../helpers/free-port.js'
import { article, testId } from '../helpers/test-site.js'
import { waitFor } from '../helpers/wait-for.js'

const root = fileURLToPath(new URL('../../', import.meta.url))

interface Running {
  child: ChildProcess
  origin: string
  lines: string[]
  exit: Promise<number | null>
}

/** Start the real server entry (through tsx, or another entry) on the repository's bundled content. */
async function startServer(env: Record<string, string> = {}, entry: string[] = ['--import', 'tsx', path.join(root, 'src/server.ts')]): Promise<Running> {
  const port = await freePort()
  const dir = await mkdtemp(path.join(tmpdir(), 'creditline-server-'))
  const origin = `http://127.0.0.1:${port}`
  const child = spawn(process.execPath, entry, {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', BASE_URL: origin, CACHE_DIR: path.join(dir, 'cache'), LOG_FORMAT: 'json', WATCH: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const lines: string[] = []
  let buffered = ''
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString()
    const parts = buffered.split('\n')
    buffered = parts.pop() ?? ''
    lines.push(...parts)
  })
  child.stderr!.on('data', (chunk: Buffer) => lines.push(chunk.toString()))
  // Resolves once the process is gone and its cache folder removed.
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code))).then(async (code) => {
    await rm(dir, { recursive: true, force: true })
    return code
  })
  await waitFor(() => lines.some((line) => line.includes('"event":"listening"')) || undefined, { what: 'the server to listen', timeoutMs: 15_000 })
  return { child, origin, lines, exit }
}

/** Run a server entry that is expected to refuse to start: its exit code and what it wrote to stderr. */
async function runUntilExit(env: Record<string, string | undefined>, entry: string[] = ['--import', 'tsx', path.join(root, 'src/server.ts')]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, entry, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  return { code, stderr }
}

describe('the server process', () => {
  let running: Running | undefined
  afterEach(async () => {
    running?.child.kill('SIGKILL')
    await running?.exit
    running = undefined
  })

  it('logs one JSON object per line in production', async () => {
    running = await startServer()
    expect((await fetch(`${running.origin}/healthz`)).status).toBe(200)
    const events = running.lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { event?: string; level: number; time: string })
    expect(events.find((entry) => entry.event === 'listening')).toMatchObject({ level: 30, time: expect.any(String) })
  })

  it('finishes a response in flight on SIGTERM, then exits with 0', async () => {
    // A body larger than the socket buffers stays in flight while the client does not read.
    const dir = await mkdtemp(path.join(tmpdir(), 'creditline-content-'))
    const big = randomBytes(8 * 1024 * 1024)
    // Served as a picture by its extension: the bytes need not be one.
    await writeFile(path.join(dir, 'big.png'), big)
    running = await startServer({ CONTENT_DIR: dir })
    const received = await new Promise<Buffer>((resolve, reject) => {
      get(`${running!.origin}/media/big.png`, (response) => {
        response.pause()
        running!.child.kill('SIGTERM')
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('end', () => resolve(Buffer.concat(chunks)))
        response.on('error', reject)
        setImmediate(() => response.resume())
      }).on('error', reject)
    })
    expect(received.equals(big)).toBe(true)
    expect(await running.exit).toBe(0)
    const events = running.lines.filter((line) => line.startsWith('{')).map((line) => (JSON.parse(line) as { event?: string }).event)
    expect(events).toContain('shutdown')
    await rm(dir, { recursive: true, force: true })
  })

  it('refuses to start on an invalid configuration, naming the variable', async () => {
    // BASE_URL set: vitest puts Vite's "/" in process.env, which is not an origin.
    const { code, stderr } = await runUntilExit({ ...process.env, PORT: 'not-a-port', BASE_URL: 'http://localhost:3000', NODE_ENV: 'production' })
    expect(code).toBe(1)
    expect(stderr.trim()).toBe('creditline: environment: PORT: expected a whole number, got "not-a-port"')
  })

  it('refuses to start in production without BASE_URL, in one line', async () => {
    const env: Record<string, string | undefined> = { ...process.env, PORT: '0', NODE_ENV: 'production', CACHE_DIR: '' }
    delete env.BASE_URL
    const { code, stderr } = await runUntilExit(env)
    expect(code).toBe(1)
    expect(stderr.trim().split('\n')).toEqual([
      'creditline: environment: BASE_URL is required under NODE_ENV=production: it is in every feed id and link, and changing it later shows every article to every subscriber again (set it, such as BASE_URL=https://news.example)',
    ])
  })

  it.each([
    [{ TRUST_PROXY: 'banana' }, 'creditline: environment: TRUST_PROXY: expected a number of proxies, "false", "loopback", "linklocal", "uniquelocal", or IP addresses and ranges separated by commas (such as "10.0.0.0/8, 127.0.0.1"), got "banana"'],
    // An address of no interface here (TEST-NET-1): the bind fails, no name is looked up.
    [{ HOST: '192.0.2.1' }, 'creditline: cannot listen on 192.0.2.1:0 (HOST, PORT): listen EADDRNOTAVAIL: address not available 192.0.2.1'],
    [{ CONTENT_DIR: path.join(root, 'package.json') }, `creditline: the content folder ${path.join(root, 'package.json')} cannot be read (CONTENT_DIR): ENOTDIR: not a directory, scandir '${path.join(root, 'package.json')}'`],
  ])('refuses to start with %o in one line and exit code 1', async (env, line) => {
    const { code, stderr } = await runUntilExit({ ...process.env, PORT: '0', BASE_URL: 'http://localhost:3000', CACHE_DIR: '', WATCH: '0', NODE_ENV: 'production', ...env })
    expect(code).toBe(1)
    expect(stderr).toBe(`${line}\n`)
  })

  it.each([
    ['a file in its place', (dir: string) => writeFile(dir, '')],
    ['a link to nowhere in its place', (dir: string) => symlink(path.join(path.dirname(dir), 'nowhere', 'cache'), dir)],
  ])('starts with CACHE_DIR unusable (%s), warning that it runs without a disk cache', async (_name, spoil) => {
    const parent = await mkdtemp(path.join(tmpdir(), 'creditline-cache-'))
    const cacheDir = path.join(parent, 'cache')
    await spoil(cacheDir)
    running = await startServer({ CACHE_DIR: cacheDir })
    expect((await fetch(`${running.origin}/articles/amazon-operation-ratatouille`)).status).toBe(200)
    const events = running.lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { event?: string; level: number; msg: string })
    expect(events.find((entry) => entry.event === 'cache-unusable')).toMatchObject({ level: 40, msg: expect.stringMatching(/^CACHE_DIR: the cache folder .* cannot be used \(.*\); running without a disk cache$/) })
    await rm(parent, { recursive: true, force: true })
  })

  it('refuses to start without its content folder, naming it, without a stack trace', async () => {
    const missing = path.join(root, 'no-such-content-folder')
    const { code, stderr } = await runUntilExit({ ...process.env, PORT: '0', BASE_URL: 'http://localhost:3000', CONTENT_DIR: missing, CACHE_DIR: '', NODE_ENV: 'production' })
    expect(code).toBe(1)
    expect(stderr.trim()).toBe(`creditline: the content folder ${missing} does not exist (set CONTENT_DIR, or create it)`)
  })
})


// `npm start`, the Procfile and the benchmark run the bundle (scripts/bundle-server.mjs),
// not the sources: it must serve what they serve, including what it loads only on demand.
describe('the bundled server', () => {
  const outdir = path.join(root, 'dist', `test-bundle-${process.pid}`)
  let running: Running | undefined

  beforeAll(async () => {
    const bundler = spawn(process.execPath, [path.join(root, 'scripts/bundle-server.mjs'), outdir], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] })
    expect(await new Promise((resolve) => bundler.once('exit', resolve))).toBe(0)
    // An empty render cache: the first article page loads remark from the bundle beside the server.
    running = await startServer({}, [path.join(outdir, 'server.js')])
  }, 60_000)
  afterAll(async () => {
    running?.child.kill('SIGKILL')
    await running?.exit
    await rm(outdir, { recursive: true, force: true })
  })

  it.each([
    ['/feed.xml', 'application/rss+xml; charset=utf-8'],
    ['/feed.css', 'text/css; charset=utf-8'],
    ['/about', 'text/html; charset=utf-8'],
    // Files the bundle reads from assets/, which sits two folders above it as above every source module.
    ['/favicon.ico', 'image/x-icon'],
    ['/icon.png', 'image/png'],
    ['/icon.svg', 'image/svg+xml; charset=utf-8'],
  ])('answers GET %s with 200 and %s', async (urlPath, type) => {
    const response = await fetch(`${running!.origin}${urlPath}`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe(type)
  })

  it('refuses TRUST_PROXY=banana in one line, without a stack trace of the bundle', async () => {
    const { code, stderr } = await runUntilExit({ ...process.env, PORT: '0', BASE_URL: 'http://localhost:3000', CACHE_DIR: '', NODE_ENV: 'production', TRUST_PROXY: 'banana' }, [path.join(outdir, 'server.js')])
    expect(code).toBe(1)
    expect(stderr.split('\n')).toEqual([expect.stringMatching(/^creditline: environment: TRUST_PROXY: expected a number of proxies, .*, got "banana"$/), ''])
  })

  it('renders an article with its credits, loading the Markdown renderer on demand', async () => {
    const response = await fetch(`${running!.origin}/articles/amazon-operation-ratatouille`)
    expect(response.status).toBe(200)
    const captions = elements(parseHtml(await response.text()), 'figcaption').map(visibleText)
    expect(captions.join('\n')).toContain('Christian Wiediger via Unsplash')
  })

  it('renders a long article in its render thread, and holds back one that passes content.maxRenderSeconds', async () => {
    // 10 KB of paragraphs render in a tenth of a second, 256 KB of list items in many seconds.
    const content = await mkdtemp(path.join(tmpdir(), 'creditline-content-'))
    let server: Running | undefined
    try {
      await writeFile(path.join(content, 'long.md'), article({ title: '"Long"', id: testId(1) }, 'Un paragraphe assez long pour le fil.\n\n'.repeat(250)))
      await writeFile(path.join(content, 'slow.md'), article({ title: '"Slow"', id: testId(2) }, slowListBody))
      server = await startServer({ CONTENT_DIR: content, MAX_RENDER_SECONDS: '2' }, [path.join(outdir, 'server.js')])
      const page = await fetch(`${server.origin}/articles/long`)
      expect(page.status).toBe(200)
      expect(elements(parseHtml(await page.text()), 'p').filter((paragraph) => visibleText(paragraph) === 'Un paragraphe assez long pour le fil.')).toHaveLength(250)
      const origin = server.origin
      const status = await waitFor(async () => {
        const body = (await (await fetch(`${origin}/status`)).json()) as { pending: number; problems: unknown[] }
        return body.pending === 0 ? body : undefined
      }, { what: 'every article to be rendered once' })
      expect(status.problems).toEqual([
        {
          file: 'slow.md',
          line: 6,
          field: 'body',
          message: 'takes more than 2 s to render; rendering an article is limited to 2 s (content.maxRenderSeconds): split it into shorter articles, or shorten its longest list, table or run of footnotes',
          effect: 'held back',
        },
      ])
    } finally {
      server?.child.kill('SIGKILL')
      await server?.exit
      await rm(content, { recursive: true, force: true })
    }
  })

  it('shows the JSON Feed extension documentation on /about in the site language, rendered by the bundle loaded on demand', async () => {
    const html = parseHtml(await (await fetch(`${running!.origin}/about`)).text())
    expect(elements(html, 'h1').map((heading) => [heading.getAttribute('id'), visibleText(heading)])).toContainEqual(['json-feed-extension-_creditline', 'Extension JSON Feed _creditline'])
  })
})
