import { copyFile, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { ContentStore } from '../content/content-store.js'
import { createLogger } from '../logger.js'
import { ArticleRenderer } from '../markdown/render-article.js'
import { toMediaUrl } from '../markdown/resolve-url.js'
import { listDocumentPaths, mediaTypeOfFile, resolveDocument, type SiteContext } from '../site/site-documents.js'
import { countOf, displayPath, formatProblemAt, loadCliConfig, UsageError, type CliIo } from './cli-io.js'
import { createProgress } from './progress.js'
import { cacheControlOf, formatHeadersFile, generatorName, headersJsonFile, headersOf, redirectRules, toStaticFile, type StaticEntry } from './static-files.js'
import { warmRenderCache } from './warm-render-cache.js'

/** Usage of `build`, shown by `--help` and after a usage error. */
export const buildUsage = `Usage: creditline build --out <dir> [--base-url <url>] [--jobs <n>]

Write every page, feed, archive, JSON Feed page and media file as static files whose
bytes are those the server sends, plus _headers, _redirects and headers.json.

  --out <dir>        output folder (replaced whole; must be empty, missing or a previous build)
  --base-url <url>   public origin of the site (default: BASE_URL, else http://localhost:PORT)
  --jobs <n>         threads that render Markdown (default: one per core when worth it)
`

// Files are written while later documents are generated; this many writes may be in flight.
const maxPendingWrites = 64

/** `creditline build`: the whole site as static files, with the headers a static host needs. */
export async function runBuild(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { out: { type: 'string' }, 'base-url': { type: 'string' }, jobs: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: false,
    strict: true,
  })
  if (values.help) {
    io.stdout.write(buildUsage)
    return 0
  }
  if (values.out === undefined || values.out === '') throw new UsageError('build needs --out <dir>')
  let jobs: number | undefined
  if (values.jobs !== undefined) {
    if (!/^[1-9][0-9]*$/.test(values.jobs)) throw new UsageError(`--jobs expects a whole number from 1, got ${JSON.stringify(values.jobs)}`)
    jobs = Number(values.jobs)
  }
  const config = loadCliConfig(io, { baseUrl: values['base-url'] })
  const outDir = path.resolve(io.cwd, values.out)
  await assertReplaceable(outDir, config.contentDir)
  if (/^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:|$)/.test(config.baseUrl)) {
    io.stderr.write(`warning: every URL will start with ${config.baseUrl}; pass --base-url (or set BASE_URL) to the public origin\n`)
  }

  const now = io.now ?? (() => new Date())
  const store = await ContentStore.open({
    contentDir: config.contentDir,
    defaults: { language: config.site.language, author: config.site.author },
    logger: createLogger('silent'),
    watch: false,
    now,
  })
  const catalog = store.catalog
  const progress = createProgress(io.stderr)
  // Workers and the main thread meet in the disk cache; without one configured, a private one serves this run.
  const temporaryCache = config.cacheDir === undefined ? await mkdtemp(path.join(tmpdir(), 'creditline-render-')) : undefined
  const cacheDir = config.cacheDir ?? temporaryCache!
  const staging = path.join(path.dirname(outDir), `.${path.basename(outDir)}.creditline-${process.pid}`)
  try {
    const renderer = new ArticleRenderer(config.baseUrl, cacheDir)
    await warmRenderCache(catalog.articles, renderer, { baseUrl: config.baseUrl, cacheDir, jobs, progress })

    await rm(staging, { recursive: true, force: true })
    await mkdir(staging, { recursive: true })
    const writer = createWriter(staging)
    const context: SiteContext = { config, catalog, renderer }
    const paths = listDocumentPaths(context)
    const total = paths.length + catalog.media.size
    const entries: StaticEntry[] = []
    const files = new Set<string>()
    const add = (entry: StaticEntry) => {
      if (files.has(entry.file)) throw new Error(`two URLs map to ${entry.file}`)
      files.add(entry.file)
      entries.push(entry)
      progress.update('writing files', entries.length, total)
    }
    for (const urlPath of paths) {
      const [pathname, page] = splitPage(urlPath)
      const document = resolveDocument(context, pathname, page)
      if (!document) throw new Error(`listDocumentPaths lists ${urlPath}, which resolveDocument does not answer`)
      const { file, headersPath } = toStaticFile(urlPath, document.mediaType)
      add({ urlPath, file, headersPath, headers: headersOf(document, cacheControlOf(config, document.cache)) })
      await writer.write(file, document.body, document.lastModified)
    }
    for (const media of [...catalog.media.values()].sort((a, b) => (a.path < b.path ? -1 : 1))) {
      const urlPath = toMediaUrl('', media.path)
      const { file, headersPath } = toStaticFile(urlPath, mediaTypeOfFile(media.path))
      const document = { mediaType: mediaTypeOfFile(media.path), lastModified: media.mtime, links: [], cors: false }
      add({ urlPath, file, headersPath, headers: headersOf(document, cacheControlOf(config, 'immutable')) })
      await writer.copy(media.absolutePath, file, media.mtime)
    }
    const manifest = { generator: generatorName, baseUrl: config.baseUrl, paths: Object.fromEntries(entries.map(({ urlPath, file, headers }) => [urlPath, { file, headers }])) }
    await writer.write(headersJsonFile, Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`), undefined)
    await writer.write('_headers', Buffer.from(formatHeadersFile(entries)), undefined)
    await writer.write('_redirects', Buffer.from(redirectRules()), undefined)
    await writer.flush()
    progress.finish()
    await replaceFolder(staging, outDir)

    const problems = [...catalog.problems, ...catalog.articles.flatMap((article) => renderer.render(article).problems)]
    for (const problem of problems) io.stderr.write(`${formatProblemAt(io, config.contentDir, problem)}\n`)
    if (problems.length > 0) io.stderr.write(`warning: ${countOf(problems.length, 'problem')}; files with front-matter problems are left out, as the server does (run creditline check)\n`)
    io.stdout.write(`${countOf(catalog.articles.length, 'article')} published, ${countOf(entries.length, 'file')} written to ${displayPath(io.cwd, outDir)}\n`)
    return 0
  } finally {
    progress.finish()
    await store.close()
    await rm(staging, { recursive: true, force: true })
    if (temporaryCache) await rm(temporaryCache, { recursive: true, force: true })
  }
}

/** `/feed.json?page=2` → [`/feed.json`, 2]; listDocumentPaths writes no other query. */
function splitPage(urlPath: string): [string, number | undefined] {
  const queryAt = urlPath.indexOf('?')
  if (queryAt === -1) return [urlPath, undefined]
  const page = new URLSearchParams(urlPath.slice(queryAt + 1)).get('page')
  return [urlPath.slice(0, queryAt), page === null ? undefined : Number(page)]
}

/**
 * Refuse an output folder whose replacement would lose anything: it must be missing,
 * empty or a previous build (its headers.json names us), and must neither hold nor
 * sit inside the content folder.
 */
async function assertReplaceable(outDir: string, contentDir: string): Promise<void> {
  const inside = (parent: string, child: string) => {
    const relative = path.relative(parent, child)
    return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))
  }
  if (inside(outDir, contentDir) || inside(contentDir, outDir)) {
    throw new UsageError(`--out ${outDir} overlaps the content folder ${contentDir}; choose a folder outside it`)
  }
  let names: string[]
  try {
    if (!(await stat(outDir)).isDirectory()) throw new UsageError(`--out ${outDir} exists and is not a folder`)
    names = await readdir(outDir)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
    throw error
  }
  if (names.length === 0) return
  try {
    const manifest = JSON.parse(await readFile(path.join(outDir, headersJsonFile), 'utf8')) as { generator?: unknown }
    if (manifest.generator === generatorName) return
  } catch {
    // Not a previous build: refused below.
  }
  throw new UsageError(`--out ${outDir} is not empty and is not a previous build; choose an empty or new folder`)
}

/** Put the finished build in place: the old one is moved aside first, so `outDir` is never half written. */
async function replaceFolder(staging: string, outDir: string): Promise<void> {
  const old = `${staging}.old`
  let hadOld = true
  try {
    await rename(outDir, old)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    hadOld = false
  }
  await rename(staging, outDir)
  if (hadOld) await rm(old, { recursive: true, force: true })
}

/** Writes files under `root` with a bounded number in flight, folders created once each. */
function createWriter(root: string) {
  // One mkdir per folder, shared by every file written into it meanwhile.
  const folders = new Map<string, Promise<unknown>>()
  const pending = new Set<Promise<void>>()
  let failure: unknown
  const ensureFolder = async (file: string) => {
    const folder = path.dirname(path.join(root, file))
    let made = folders.get(folder)
    if (!made) {
      made = mkdir(folder, { recursive: true })
      folders.set(folder, made)
    }
    await made
  }
  const enqueue = async (job: () => Promise<void>) => {
    if (failure) throw failure
    const promise = job().catch((error: unknown) => {
      failure ??= error
    })
    pending.add(promise)
    void promise.finally(() => pending.delete(promise))
    if (pending.size >= maxPendingWrites) await Promise.race(pending)
  }
  // The file's time is the document's Last-Modified, for hosts that derive it from the file.
  const touch = async (target: string, mtime: Date | undefined) => {
    if (mtime) await utimes(target, mtime, mtime)
  }
  return {
    write: (file: string, body: Buffer, mtime: Date | undefined) =>
      enqueue(async () => {
        await ensureFolder(file)
        const target = path.join(root, file)
        await writeFile(target, body)
        await touch(target, mtime)
      }),
    copy: (source: string, file: string, mtime: Date) =>
      enqueue(async () => {
        await ensureFolder(file)
        const target = path.join(root, file)
        await copyFile(source, target)
        await touch(target, mtime)
      }),
    async flush() {
      await Promise.all(pending)
      if (failure) throw failure
    },
  }
}
