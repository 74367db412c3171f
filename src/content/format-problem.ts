/** What a problem does to its article: keeps the file (this version of it) out, or goes out with it. */
export type ProblemEffect = 'held back' | 'published'

/** How bad a problem is: an `error` fails `check`; a `warning` is advice, and `check` still passes. */
export type ProblemSeverity = 'error' | 'warning'

/** One thing wrong with one input file, precise enough to fix without reading code. */
export interface Problem {
  /** Path of the file, relative to the content folder's parent when possible. */
  file: string
  /** 1-based line of the offending key or Markdown node, when known. */
  line?: number
  /** Dotted path of the field (`image.credit`), or `body`, `slug`, `file`. */
  field: string
  /** What was expected and what was found. */
  message: string
  /** Set where it is known (see `listContentProblems`), shown after the message. */
  effect?: ProblemEffect | undefined
  /** `error` when absent (so the problems of /status read as they did before warnings). */
  severity?: ProblemSeverity | undefined
}

/**
 * Render a problem as `file:line: field: message (effect)`, the form editors and CI logs
 * understand; a warning as `file:line: warning: field: message (effect)`, as compilers mark theirs.
 */
export function formatProblem(problem: Problem): string {
  const where = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}`
  const mark = problem.severity === 'warning' ? 'warning: ' : ''
  return `${where}: ${mark}${problem.field}: ${problem.message}${problem.effect === undefined ? '' : ` (${problem.effect})`}`
}
