import path from 'node:path'
import { openCacheFolder } from '../cache-folder.js'
import { ConfigError, loadConfig, type Config } from '../config.js'
import { formatProblem, type Problem } from '../content/format-problem.js'

/** Where a CLI run reads its settings and writes its output; tests pass their own. */
export interface CliIo {
  /** Directory that relative paths (arguments, configuration) are resolved from. */
  cwd: string
  /** Environment variables, read only through `loadConfig`. */
  env: Record<string, string | undefined>
  stdout: { write(text: string): unknown }
  stderr: { write(text: string): unknown; isTTY?: boolean; columns?: number }
  /** The clock: which articles are scheduled, and the date of a new article. */
  now?: () => Date
}

/** Exit codes: 0 done and nothing wrong, 1 problems found or the work failed, 2 wrong usage or configuration. */
export const exitCodes = { ok: 0, failed: 1, usage: 2 } as const

/** A mistake in the command line or the configuration; reported in one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError'
}

/** The configuration (file or environment) cannot be used: exit 2, but the command line was right. */
export class UnusableConfigError extends Error {
  override name = 'UnusableConfigError'
}

/** A command that could not do its work (a file exists, a folder cannot be read); exit code 1. */
export class CommandError extends Error {
  override name = 'CommandError'
}

/**
 * Load the configuration as the server would, with the CLI's overrides. The CLI never
 * watches and never logs: its output is its own.
 *
 * @throws UnusableConfigError when the configuration cannot be used
 */
export function loadCliConfig(io: CliIo, overrides: { contentDir?: string | undefined; baseUrl?: string | undefined } = {}): Config {
  const env: Record<string, string | undefined> = { ...io.env, WATCH: '0', LOG_FORMAT: 'silent' }
  if (overrides.contentDir !== undefined) env.CONTENT_DIR = path.resolve(io.cwd, overrides.contentDir)
  if (overrides.baseUrl !== undefined) env.BASE_URL = overrides.baseUrl
  try {
    return loadConfig(env, io.cwd, { sources: overrides.baseUrl === undefined ? {} : { BASE_URL: '--base-url' } })
  } catch (error) {
    if (error instanceof ConfigError) throw new UnusableConfigError(error.message)
    throw error
  }
}

/**
 * The configuration with its cache folder checked: an unusable one is a warning on
 * stderr and no disk cache, as for the server, not a failed command.
 */
export function withUsableCache(io: CliIo, config: Config): Config {
  const { dir, warning } = openCacheFolder(config.cacheDir)
  if (warning !== undefined) io.stderr.write(`warning: CACHE_DIR: ${warning}\n`)
  return dir === config.cacheDir ? config : { ...config, cacheDir: dir }
}

/** A path as the user should read it: relative to the current directory when inside it, absolute otherwise. */
export function displayPath(cwd: string, absolute: string): string {
  const relative = path.relative(cwd, absolute)
  return relative === '' ? '.' : relative.startsWith('..') || path.isAbsolute(relative) ? absolute : relative
}

/** A problem of a content file, its file named as the user should read it (`content/a.md:3: date: …`). */
export function formatProblemAt(io: CliIo, contentDir: string, problem: Problem): string {
  return formatProblem({ ...problem, file: displayPath(io.cwd, path.join(contentDir, problem.file)) })
}

/** `1 article`, `2 articles`. */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`
}

/** The value of `--jobs`: a whole number from 1, or `undefined` to decide by the work to do. */
export function parseJobs(value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  if (!/^[1-9][0-9]*$/.test(value)) throw new UsageError(`--jobs expects a whole number from 1, got ${JSON.stringify(value)}`)
  return Number(value)
}
