import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import matter from 'gray-matter'
import { buildCatalog, type Catalog, type ContentEntry } from '../content/build-catalog.js'
import type { Problem } from '../content/format-problem.js'
import { findFrontMatterLine } from '../content/front-matter-lines.js'
import { loadContent } from '../content/load-content.js'
import { readArticleBody } from '../content/article-body.js'
import type { Article } from '../content/parse-article.js'
import { articleUrl, ArticleRenderer, type RenderedArticle } from '../markdown/render-article.js'
import { toContentPath } from '../markdown/resolve-url.js'
import { countOf, CommandError, displayPath, formatProblemAt, loadCliConfig, parseJobs, UsageError, withUsableCache, type CliIo } from './cli-io.js'
import { locateBodyImages } from './locate-body-images.js'
import { createProgress } from './progress.js'
import { warmRenderCache } from './warm-render-cache.js'

/** Usage of `check`, shown by `--help` and after a usage error. */
export const checkUsage = `Usage: creditline check [dir] [--jobs <n>]

Validate every article of a content folder (default: the configured one) without
starting the server: front matter, duplicate slugs, image credits and alt text, and
local images that do not exist. Drafts and scheduled articles are checked too.
Problems go to stderr as file:line: field: message; exit code 1 when there are any.

  --jobs <n>   threads that render Markdown (default: one per core when worth it)
`

/** `creditline check [dir]`: every problem of a content folder, as a pre-commit hook or CI step wants it. */
export async function runCheck(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { jobs: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true })
  if (values.help) {
    io.stdout.write(checkUsage)
    return 0
  }
  const jobs = parseJobs(values.jobs)
  if (positionals.length > 1) throw new UsageError(`check takes one folder, got ${positionals.length}`)
  const config = withUsableCache(io, loadCliConfig(io, { contentDir: positionals[0] }))
  const { contentDir, baseUrl } = config
  const shown = displayPath(io.cwd, contentDir)
  if (!(await stat(contentDir).catch(() => undefined))?.isDirectory()) throw new CommandError(`${shown}: no such content folder`)

  const { entries, media } = await loadContent(contentDir, { language: config.site.language, author: config.site.author })
  const now = io.now?.() ?? new Date()
  const catalog = buildCatalog(entries, media, now)
  const problems: Problem[] = [...catalog.problems, ...findUnpublishedSlugClashes(entries, catalog, now), ...(await findFutureUpdates(entries, contentDir, now))]

  // Every article is rendered, drafts and scheduled ones too: their problems are the editor's to fix before they go out.
  const articles = entries.flatMap((entry) => (entry.article ? [entry.article] : []))
  const temporaryCache = config.cacheDir === undefined ? await mkdtemp(path.join(tmpdir(), 'creditline-render-')) : undefined
  const cacheDir = config.cacheDir ?? temporaryCache!
  const progress = createProgress(io.stderr)
  try {
    const renderer = new ArticleRenderer(baseUrl, cacheDir)
    await warmRenderCache(articles, renderer, { poolData: { config, entries, media, now, cacheDir }, jobs, progress })
    progress.finish()
    for (const article of articles) {
      const rendered = renderer.render(article)
      problems.push(...rendered.problems, ...(await findMissingImages(article, rendered, catalog.media, baseUrl, contentDir)))
    }
  } finally {
    progress.finish()
    if (temporaryCache) await rm(temporaryCache, { recursive: true, force: true })
  }

  // By file, then by line, so the output reads in the order an editor fixes things (sort is stable).
  problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0)))
  for (const problem of problems) io.stderr.write(`${formatProblemAt(io, contentDir, problem)}\n`)
  const files = new Set(problems.map((problem) => problem.file)).size
  const outcome = problems.length === 0 ? 'no problems' : `${countOf(problems.length, 'problem')} in ${countOf(files, 'file')}`
  io.stdout.write(`${countOf(entries.length, 'article')} checked, ${outcome}\n`)
  return problems.length === 0 ? 0 : 1
}

/**
 * `buildCatalog` compares slugs of published articles only; a draft or a scheduled
 * article that shares a slug would be refused the day it goes out, so say it now.
 */
function findUnpublishedSlugClashes(entries: ReadonlyArray<ContentEntry>, catalog: Catalog, now: Date): Problem[] {
  const bySlug = new Map<string, Article[]>()
  for (const entry of [...entries].sort((a, b) => (a.file < b.file ? -1 : 1))) {
    if (!entry.article) continue
    const group = bySlug.get(entry.article.slug) ?? []
    group.push(entry.article)
    bySlug.set(entry.article.slug, group)
  }
  const problems: Problem[] = []
  for (const [slug, group] of bySlug) {
    if (group.length < 2) continue
    const holder = catalog.bySlug.get(slug)
    for (const article of group) {
      // Published articles that clash are already reported by buildCatalog.
      if (!article.draft && article.date <= now) continue
      const other = holder ?? group.find((candidate) => candidate !== article)!
      const what = article.draft ? 'draft' : 'scheduled article'
      problems.push({ file: article.file, field: 'slug', message: `duplicate slug "${slug}", also used by ${other.file}; this ${what} cannot be published under it` })
    }
  }
  return problems
}

/**
 * An `updated:` later than now is a typo or a wrong offset: every feed would show it as
 * the article's (and so the feed's) last change until that day, and validators call it
 * implausible. The server publishes it as written; only the check can tell the editor.
 */
async function findFutureUpdates(entries: ReadonlyArray<ContentEntry>, contentDir: string, now: Date): Promise<Problem[]> {
  const problems: Problem[] = []
  for (const { article } of entries) {
    if (!article?.updated || article.updated <= now) continue
    const line = await frontMatterLineOf(path.join(contentDir, article.file), ['updated'])
    problems.push({ file: article.file, ...(line === undefined ? {} : { line }), field: 'updated', message: `${article.updated.toISOString()} is later than now (${now.toISOString()}); expected the time of the last change` })
  }
  return problems
}

/**
 * Pictures under this site's /media/ that are no file of the content folder: they would
 * be broken in every feed reader. Lines are looked up only when something is missing.
 */
async function findMissingImages(article: Article, rendered: RenderedArticle, media: ReadonlyMap<string, unknown>, baseUrl: string, contentDir: string): Promise<Problem[]> {
  const problems: Problem[] = []
  let bodyLines: Map<string, number[]> | undefined
  for (const item of rendered.media) {
    const reason = whyMissing(item.url, media, baseUrl)
    if (reason === undefined) continue
    if (item.lead) {
      const line = await frontMatterLineOf(path.join(contentDir, article.file), ['image', 'src'])
      problems.push({ file: article.file, ...(line === undefined ? {} : { line }), field: 'image.src', message: `image "${article.image?.src ?? item.url}" ${reason}` })
      continue
    }
    bodyLines ??= locateBodyImages(readArticleBody(article), { baseUrl, pageUrl: articleUrl(baseUrl, article.slug), file: article.file })
    const line = bodyLines.get(item.url)?.shift()
    problems.push({ file: article.file, ...(line === undefined ? {} : { line: article.bodyLine + line - 1 }), field: 'body', message: `image "${item.url}" ${reason}` })
  }
  return problems
}

// Pictures on this site outside /media/ are the renderer's to report (they are never served).
function whyMissing(url: string, media: ReadonlyMap<string, unknown>, baseUrl: string): string | undefined {
  const contentPath = toContentPath(baseUrl, url)
  if (contentPath === undefined || media.has(contentPath)) return undefined
  return `not found: the content folder has no file "${contentPath}"`
}

/** 1-based line, in the file, of a front-matter key. */
async function frontMatterLineOf(file: string, keys: string[]): Promise<number | undefined> {
  // The YAML is not parsed here (parseArticle did that); only its text is needed.
  const text = (await readFile(file, 'utf8').catch(() => undefined)) ?? ''
  // gray-matter's `matter` starts right after the opening `---`, so its line numbers are the file's.
  return findFrontMatterLine(matter(text, { engines: { yaml: () => ({}) } }).matter, keys)
}
