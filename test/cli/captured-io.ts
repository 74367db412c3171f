import type { CliIo } from '../../src/cli/main.js'
import { testNow } from '../helpers/test-site.js'

/** A `CliIo` whose output is kept, for in-process runs of `runCli`. */
export interface CapturedIo extends CliIo {
  out(): string
  err(): string
}

/**
 * An io rooted at `cwd` with the environment test sites use: the test base URL, no disk
 * cache unless asked, the tests' fixed clock. `stderr` is not a terminal, so no progress.
 */
export function captureIo(cwd: string, env: Record<string, string> = {}, now: Date = testNow): CapturedIo {
  let out = ''
  let err = ''
  return {
    cwd,
    env: { NODE_ENV: 'test', BASE_URL: 'https://news.example', CACHE_DIR: '', ...env },
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    now: () => now,
    out: () => out,
    err: () => err,
  }
}
