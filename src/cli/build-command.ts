import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { parseArgs } from 'node:util'
import type { Config } from '../config.js'
import type { Catalog } from '../content/catalog.js'
import type { Problem } from '../content/format-problem.js'
import { openFragmentStore } from '../feeds/fragment-store.js'
import { ArticleRenderer } from '../markdown/render-article.js'
import { renderLimitsOf } from '../markdown/render-pool.js'
import { RenderCache } from '../markdown/render-cache.js'
import { toMediaUrl } from '../markdown/resolve-url.js'
import { inspectBody, listContentProblems, type BodyFindings } from '../site/content-problems.js'
import { listDocumentPaths, type SiteContext } from '../site/site-documents.js'
import { ContentFileError, readContentFile } from '../content/content-jail.js'
import { mediaTypeOfFile } from '../content/content-kind.js'
import { countOf, displayPath, formatProblemAt, loadCliConfig, parseJobs, UsageError, withUsableCache, type CliIo } from './cli-io.js'
import { makeTemporaryCache, removeLeftoverStaging, stagingFolderOf } from './leftover-folders.js'
import { createProgress } from './progress.js'
import { loadSnapshot } from './load-snapshot.js'
import { createSitePool } from './site-pool.js'
import { chooseWorkerThreads } from './worker-policy.js'
import { cacheControlOf } from '../http/cache-policy.js'
import { formatNginxConfig, nginxConfigFile } from './nginx-config.js'
import { listAliases } from '../content/article-aliases.js'
import { articlePath } from '../content/slugify-name.js'
import { formatHeadersFile, generatorName, headersJsonFile, headersOf, redirectRules, toStaticFile, type StaticEntry } from './static-files.js'
import { createWriter, writeDocuments, type StaticWriter } from './write-documents.js'

/** Usage of `export`, shown by `--help` and after a usage error. */
export const buildUsage = `Usage: creditline export --out <dir> [--base-url <url>] [--jobs <n>]

Write every page, feed, archive, JSON Feed page and media file as static files whose
bytes are those the server sends, plus _headers, _redirects, nginx.conf and headers.json.

  --out <dir>        output folder (replaced whole; must be empty, missing or a previous build)
  --base-url <url>   public origin of the site (default: BASE_URL, else http://localhost:PORT)
  --jobs <n>         worker threads that render and write (default: one per core when worth it)
`

/** `creditline export`: the whole site as static files, with the headers a static host needs. */
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
  if (values.out === undefined || values.out === '') throw new UsageError('export needs --out <dir>')
  const startedAt = Date.now()
  const jobs = parseJobs(values.jobs)
  const config = withUsableCache(io, loadCliConfig(io, { baseUrl: values['base-url'] }))
  const outDir = path.resolve(io.cwd, values.out)
  await assertReplaceable(outDir, config.contentDir)
  if (/^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:|$)/.test(config.baseUrl)) {
    io.stderr.write(`warning: every URL will start with ${config.baseUrl}; pass --base-url (or set BASE_URL) to the public origin\n`)
  }

  const { entries, media, catalog, now } = await loadSnapshot(io, config, { useIndex: true })
  const progress = createProgress(io.stderr)
  // Workers and the main thread meet in the disk cache; without one configured, a private one serves this run.
  const temporaryCache = config.cacheDir === undefined ? await makeTemporaryCache() : undefined
  const cacheDir = config.cacheDir ?? temporaryCache!
  const staging = stagingFolderOf(outDir)
  // Every render stays in memory, as in the workers: each article is in about five
  // documents per format. Keeping only the server's 1,000, an export on one thread rendered
  // and serialized most articles again for each: 98 s at 10,000 articles with a warm render
  // cache, against 31 s when all are kept.
  const renderer = new ArticleRenderer({ baseUrl: config.baseUrl, cacheDir, keepRendered: Math.max(1, catalog.articles.length), limits: renderLimitsOf(config) })
  const context: SiteContext = { config, catalog, renderer, fragments: openFragmentStore(config.cacheDir) }
  const paths = listDocumentPaths(context)
  const threads = chooseWorkerThreads(jobs, { articles: catalog.articles.length, documents: paths.length })
  let pool: ReturnType<typeof createSitePool> | undefined
  try {
    // Large bodies first (drafts' too, for the list of problems), each in the render thread
    // within its limits: what fails is remembered, and the workers are told, so that no
    // thread renders it again.
    await renderer.prepare(entries.flatMap((entry) => (entry.article ? [entry.article] : [])))
    pool = threads > 0 ? createSitePool({ config, entries, media, now, cacheDir, renderFailures: renderer.failures() }, threads) : undefined
    // What killed exports left (a full copy of the site each), and our own.
    await removeLeftoverStaging(outDir)
    await mkdir(staging, { recursive: true })
    const writer = createWriter(staging)
    // Copied while the workers start; media files are not generated.
    const { entries: mediaEntries, problems: mediaProblems } = copyMedia(catalog.media, config, writer)
    // Every article is rendered once before any document needs it (in a worker, or here),
    // so no two threads render the same article; what the list of problems needs of each is kept.
    const files = catalog.articles.map((article) => article.file)
    let findings: Map<string, BodyFindings>
    let written: StaticEntry[]
    if (pool) {
      findings = await pool.render(files, progress)
      written = await pool.documents(paths, staging, progress)
    } else {
      findings = new Map(
        catalog.articles.map((article, index) => {
          progress.update('rendering articles', index + 1, files.length)
          return [article.file, inspectBody(article, renderer)]
        }),
      )
      let done = 0
      written = writeDocuments(context, config, paths, writer, () => progress.update('writing files', ++done, paths.length))
    }
    // The one list the server, its /status and check give (drafts and scheduled articles
    // are rendered here for it), reported with the media files that became links while being copied.
    const { problems } = listContentProblems({ entries, catalog, now, baseUrl: config.baseUrl, contentDir: config.contentDir }, (article) => findings.get(article.file) ?? inspectBody(article, renderer))
    const all = [...written, ...mediaEntries]
    const seen = new Set<string>()
    for (const entry of all) {
      if (seen.has(entry.file)) throw new Error(`two URLs map to ${entry.file}`)
      seen.add(entry.file)
    }
    const manifest = { generator: generatorName, baseUrl: config.baseUrl, paths: Object.fromEntries(all.map(({ urlPath, file, headers }) => [urlPath, { file, headers }])) }
    writer.write(headersJsonFile, Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`), undefined)
    writer.write('_headers', Buffer.from(formatHeadersFile(all, config.basePath)), undefined)
    const moved = [...listAliases(catalog)].sort(([a], [b]) => (a < b ? -1 : 1)).map(([alias, slug]) => ({ from: articlePath(alias), to: `${config.baseUrl}${articlePath(slug)}` }))
    writer.write('_redirects', Buffer.from(redirectRules(moved, config.basePath)), undefined)
    writer.write(nginxConfigFile, Buffer.from(formatNginxConfig(all, moved, config.basePath)), undefined)
    progress.finish()
    await replaceFolder(staging, outDir)
    // Every document written: renders and items this export did not use are of old versions.
    if (config.cacheDir !== undefined) {
      await new RenderCache(config.cacheDir).removeUnused(startedAt)
      await openFragmentStore(config.cacheDir)?.removeUnused(startedAt)
    }

    const reported = [...problems, ...mediaProblems.map((problem) => ({ ...problem, effect: 'held back' as const }))]
    for (const problem of reported) io.stderr.write(`${formatProblemAt(io, config.contentDir, problem)}\n`)
    const errors = reported.filter((problem) => problem.severity !== 'warning').length
    if (errors > 0) io.stderr.write(`warning: ${countOf(errors, 'problem')}; files held back are left out, as the server does (run creditline check)\n`)
    io.stdout.write(`${countOf(catalog.articles.length, 'article')} published, ${countOf(all.length, 'file')} written to ${displayPath(io.cwd, outDir)}\n`)
    return 0
  } finally {
    progress.finish()
    await pool?.close()
    await renderer.close()
    await rm(staging, { recursive: true, force: true })
    if (temporaryCache) await rm(temporaryCache, { recursive: true, force: true })
  }
}

/**
 * Copy every media file (the server sends them as they are on disk); their entries. Each
 * is read as the server reads it: a file that became a link since it was listed is left
 * out, and reported.
 */
function copyMedia(media: Catalog['media'], config: Config, writer: StaticWriter): { entries: StaticEntry[]; problems: Problem[] } {
  const entries: StaticEntry[] = []
  const problems: Problem[] = []
  for (const file of [...media.values()].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    let body: Buffer
    try {
      body = readContentFile(config.contentDir, file.path)
    } catch (error) {
      if (!(error instanceof ContentFileError)) throw error
      problems.push({ file: file.path, field: 'file', message: error.message })
      continue
    }
    const urlPath = toMediaUrl('', file.path)
    const mediaType = mediaTypeOfFile(file.path)
    const { file: target, headersPath } = toStaticFile(urlPath, mediaType)
    entries.push({ urlPath, file: target, headersPath, headers: headersOf({ mediaType, lastModified: file.mtime, links: [], cors: false }, cacheControlOf(config, 'immutable')) })
    writer.write(target, body, file.mtime)
  }
  return { entries, problems }
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

