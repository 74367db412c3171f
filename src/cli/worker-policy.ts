import { availableParallelism } from 'node:os'

/** The work a command has for worker threads. */
export interface Workload {
  /** Articles to render (not in the render cache yet, or all of them when the command keeps every render). */
  articles: number
  /** Documents to write (`export`); none for `check`. */
  documents: number
}

// Starting a worker costs a few hundred milliseconds (loading the Markdown pipeline),
// about the time it takes to render this many articles on the main thread.
const minArticlesForWorkers = 300
// Below this much work (articles + documents), an export's workers cost more than they save.
const minWorkForWorkers = 1500

/**
 * How many worker threads a command starts: `--jobs` when given (`1` means none), else one
 * per core when the work pays for starting them. `0` means the main thread does it all.
 * The one rule for `check` and `export`.
 *
 * @param cores the machine's (tests pass their own)
 */
export function chooseWorkerThreads(jobs: number | undefined, work: Workload, cores = availableParallelism()): number {
  const threads = jobs ?? cores
  if (threads <= 1 || work.articles + work.documents === 0) return 0
  if (jobs !== undefined) return threads
  const pays = work.documents === 0 ? work.articles >= minArticlesForWorkers : work.articles + work.documents >= minWorkForWorkers
  return pays ? threads : 0
}
