import { rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { ArticleRenderer } from '../markdown/render-article.js'
import { renderLimitsOf } from '../markdown/render-pool.js'
import { inspectBody, listContentProblems, type ReportedProblem } from '../site/content-problems.js'
import { countOf, CommandError, displayPath, formatProblemAt, loadCliConfig, parseJobs, UsageError, withUsableCache, type CliIo } from './cli-io.js'
import { makeTemporaryCache } from './leftover-folders.js'
import { loadSnapshot } from './load-snapshot.js'
import { createProgress } from './progress.js'
import { warmRenderCache } from './warm-render-cache.js'

/** Usage of `check`, shown by `--help` and after a usage error. */
export const checkUsage = `Usage: creditline check [dir | file.md ...] [--json] [--jobs <n>]

Validate every article of a content folder (default: the configured one), or only the
given files of the configured folder, without starting the server: front matter,
duplicate slugs, image credits and alt text, and local images that do not exist. Drafts
and scheduled articles are checked too. A folder without an article fails.
Problems go to stderr as file:line: field: message (held back | published): whether the
server leaves the file out or publishes the article with it. Exit code 1 when there are any.
Warnings (file:line: warning: field: ...), such as an article without an id, are advice:
they are counted apart and leave the exit code at 0. The server lists the same problems
at GET /status.

  --json       print { articles, errors, warnings, problems } to stdout, the problems as
               GET /status lists them, instead
  --jobs <n>   threads that render Markdown (default: one per core when worth it)
`

/** `creditline check [dir]`: every problem of a content folder, as a pre-commit hook or CI step wants it. */
export async function runCheck(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { jobs: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true })
  if (values.help) {
    io.stdout.write(checkUsage)
    return 0
  }
  const jobs = parseJobs(values.jobs)
  const { folder, files } = await sortArguments(io, positionals)
  const config = withUsableCache(io, loadCliConfig(io, { contentDir: folder }))
  const { contentDir, baseUrl } = config
  const shown = displayPath(io.cwd, contentDir)
  const { entries: all, media, catalog, now } = await loadSnapshot(io, config, { useIndex: false })
  // Named files are checked against the whole folder (slugs, aliases), and only their problems are told.
  const selected = files.length === 0 ? undefined : selectFiles(io, contentDir, files, all.map((entry) => entry.file))
  const entries = selected ? all.filter((entry) => selected.has(entry.file)) : all
  if (entries.length === 0) throw new CommandError(`${shown}: no article to check (a Markdown file with front matter, such as one \`creditline new\` writes)`)

  // Every article is rendered, drafts and scheduled ones too: their problems are the editor's to fix before they go out.
  const articles = entries.flatMap((entry) => (entry.article ? [entry.article] : []))
  const temporaryCache = config.cacheDir === undefined ? await makeTemporaryCache() : undefined
  const cacheDir = config.cacheDir ?? temporaryCache!
  const progress = createProgress(io.stderr)
  let problems: ReportedProblem[]
  const renderer = new ArticleRenderer({ baseUrl, cacheDir, limits: renderLimitsOf(config) })
  try {
    await warmRenderCache(articles, renderer, { poolData: { config, entries, media, now, cacheDir }, jobs, progress })
    progress.finish()
    // The server's list (GET /status), by the same function.
    ;({ problems } = listContentProblems({ entries: all, catalog, now, baseUrl, contentDir }, (article) => (!selected || selected.has(article.file) ? inspectBody(article, renderer) : { problems: [], pictures: [] })))
    if (selected) problems = problems.filter((problem) => selected.has(problem.file))
  } finally {
    progress.finish()
    await renderer.close()
    if (temporaryCache) await rm(temporaryCache, { recursive: true, force: true })
  }

  // Warnings are listed with the rest, counted apart, and never fail the check.
  const errors = problems.filter((problem) => problem.severity !== 'warning')
  const warnings = problems.length - errors.length
  const code = errors.length === 0 ? 0 : 1
  if (values.json) {
    io.stdout.write(`${JSON.stringify({ articles: entries.length, errors: errors.length, warnings, problems }, null, 2)}\n`)
    return code
  }
  for (const problem of problems) io.stderr.write(`${formatProblemAt(io, contentDir, problem)}\n`)
  const withErrors = new Set(errors.map((problem) => problem.file)).size
  const outcome = errors.length === 0 ? 'no problems' : `${countOf(errors.length, 'problem')} in ${countOf(withErrors, 'file')}`
  io.stdout.write(`${countOf(entries.length, 'article')} checked, ${outcome}${warnings === 0 ? '' : `, ${countOf(warnings, 'warning')}`}\n`)
  return code
}

/** The folder argument, or the file arguments, of `check`. */
async function sortArguments(io: CliIo, positionals: string[]): Promise<{ folder: string | undefined; files: string[] }> {
  if (positionals.length === 0) return { folder: undefined, files: [] }
  const kinds = await Promise.all(positionals.map(async (argument) => (await stat(path.resolve(io.cwd, argument)).catch(() => undefined))?.isDirectory()))
  if (positionals.length === 1 && kinds[0] !== false) return { folder: positionals[0], files: [] }
  if (kinds.some((isFolder) => isFolder === true)) throw new UsageError('check takes one folder, or files of the content folder, not both')
  const missing = positionals.find((_argument, index) => kinds[index] === undefined)
  if (missing !== undefined) throw new CommandError(`${missing}: no such file`)
  return { folder: undefined, files: positionals }
}

/** The named files, as paths of the content folder; each must be one of its articles. */
function selectFiles(io: CliIo, contentDir: string, files: string[], articles: string[]): Set<string> {
  const known = new Set(articles)
  const selected = new Set<string>()
  for (const file of files) {
    const relative = path.relative(contentDir, path.resolve(io.cwd, file)).split(path.sep).join('/')
    if (!known.has(relative)) throw new UsageError(`${file} is not an article of the content folder ${displayPath(io.cwd, contentDir)}`)
    selected.add(relative)
  }
  return selected
}
