import type { Problem } from './format-problem.js'

/**
 * The problem of an article file larger than the limit, found from its size before it is
 * read: a 100 MB file once held the server for minutes while it was read and parsed.
 */
export function fileTooLargeProblem(file: string, size: number, maxBytes: number): Problem {
  return { file, line: 1, field: 'file', message: `is ${size} bytes; articles are limited to ${maxBytes} bytes (content.maxFileBytes)` }
}
