import { readFileSync, realpathSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { buildUsage, runBuild } from './build-command.js'
import { checkUsage, runCheck } from './check-command.js'
import { CommandError, exitCodes, UnusableConfigError, UsageError, type CliIo } from './cli-io.js'
import { newUsage, runNew } from './new-command.js'

export type { CliIo } from './cli-io.js'

/** Usage of the whole CLI. */
export const usage = `Usage: creditline <command> [options]

Commands:
  check [dir]              validate every article (front matter, slugs, credits, images)
  export --out <dir>       write the site as static files, with _headers, _redirects, headers.json
  new "<title>"            create a draft article with valid front matter

Run creditline <command> --help for a command's options, creditline --version for the version. The configuration is read as
the server reads it (creditline.config.json, CONTENT_DIR, BASE_URL, CACHE_DIR, ...).
Exit codes: 0 success, 1 problems found or the command failed, 2 wrong usage or configuration.
`

const exportCommand = { run: runBuild, usage: buildUsage }
const commands: Record<string, { run: (args: string[], io: CliIo) => Promise<number>; usage: string }> = {
  check: { run: runCheck, usage: checkUsage },
  export: exportCommand,
  // The former name of `export`, kept for the scripts that call it: `npm run build` compiles.
  build: exportCommand,
  new: { run: runNew, usage: newUsage },
}

// Options npm takes for itself when they come before `--` (`npm run new "T" --publish`):
// it drops them from the arguments and sets npm_config_<name> instead.
const optionsNpmKeeps = ['publish', 'json', 'out', 'base-url', 'jobs']

/**
 * Run the CLI in-process: parse `argv` (without `node` and the script), do the work,
 * write to `io`, and return the exit code. Never calls `process.exit`, so tests call
 * it directly.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv
  // `creditline --version` and `creditline check --version` alike, as a bug report asks for it.
  if (argv.includes('--version')) {
    io.stdout.write(`creditline ${readVersion()}\n`)
    return exitCodes.ok
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io[name === undefined ? 'stderr' : 'stdout'].write(usage)
    return name === undefined ? exitCodes.usage : exitCodes.ok
  }
  const command = commands[name]
  if (!command) {
    io.stderr.write(`creditline: unknown command ${JSON.stringify(name)}\n\n${usage}`)
    return exitCodes.usage
  }
  const kept = findOptionsNpmKept(io.env)
  if (kept.length > 0) {
    const script = io.env.npm_lifecycle_event ?? name
    io.stderr.write(`creditline ${name}: npm kept ${kept.join(' ')} for itself; put -- before the command's arguments: npm run ${script} -- ${[...rest, ...kept].join(' ')}\n`)
    return exitCodes.usage
  }
  try {
    return await command.run(rest, io)
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      io.stderr.write(`creditline ${name}: ${(error as Error).message}\n\n${command.usage}`)
      return exitCodes.usage
    }
    if (error instanceof UnusableConfigError) {
      // The command line was right: its usage would only bury the message.
      io.stderr.write(`creditline ${name}: ${error.message}\n`)
      return exitCodes.usage
    }
    if (error instanceof CommandError) {
      io.stderr.write(`creditline ${name}: ${error.message}\n`)
      return exitCodes.failed
    }
    io.stderr.write(`creditline ${name}: ${(error as Error).stack ?? String(error)}\n`)
    return exitCodes.failed
  }
}

/** The version in package.json, from the sources and from dist/ alike (both two folders below it). */
function readVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version
}

/** The options npm swallowed from an `npm run` command line, as they were typed (`--publish`). */
function findOptionsNpmKept(env: CliIo['env']): string[] {
  if (env.npm_lifecycle_event === undefined) return []
  return optionsNpmKeeps.filter((option) => env[`npm_config_${option.replaceAll('-', '_')}`] !== undefined).map((option) => `--${option}`)
}

/** `parseArgs` reports unknown options and missing values with these codes. */
function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')
}

function isEntryPoint(): boolean {
  const script = process.argv[1]
  if (script === undefined) return false
  try {
    return import.meta.url === pathToFileURL(realpathSync(script)).href
  } catch {
    return false
  }
}

if (isEntryPoint()) {
  process.exitCode = await runCli(process.argv.slice(2), { cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr })
}
