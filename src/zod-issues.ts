import type { z } from 'zod'

/** Dotted path of a zod issue, `(root)` for the whole value. */
export function formatIssuePath(path: ReadonlyArray<PropertyKey>): string {
  if (path.length === 0) return '(root)'
  return path.map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`)).join('')
}

/** The message of a zod issue, reworded as "expected …, got …" where zod's wording is generic. */
export function describeIssue(issue: z.core.$ZodIssue): string {
  const input = 'input' in issue ? issue.input : undefined
  if (issue.code === 'invalid_type' && input === undefined) return `required, expected ${issue.expected}`
  if (issue.code === 'unrecognized_keys') return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}`
  const message = issue.message.replace(/^Invalid input: /, '').replace(/, received \w+$/, '')
  return input === undefined ? message : `${message}, got ${describeValue(input)}`
}

/** Every issue as `field: message`, in the order zod found them. */
export function formatZodIssues(issues: ReadonlyArray<z.core.$ZodIssue>): string[] {
  return issues.map((issue) => `${formatIssuePath(issue.path)}: ${describeIssue(issue)}`)
}

/** A received value as JSON, cut to 80 characters, without ever writing the whole of a huge value. */
function describeValue(value: unknown): string {
  if (value instanceof Date) return value.toISOString()
  const text = writeJsonUpTo(value, maxValueLength + 1)
  return text.length > maxValueLength ? `${text.slice(0, maxValueLength - 3)}...` : text
}

const maxValueLength = 80

/**
 * JSON of `value`, stopped soon after `limit` characters. Written by hand because
 * JSON.stringify writes everything before it can be cut: a long list, or a few YAML
 * aliases standing for billions of values, would exhaust the memory.
 */
function writeJsonUpTo(value: unknown, limit: number): string {
  let text = ''
  const write = (item: unknown, depth: number): void => {
    if (text.length > limit) return
    if (depth > limit) {
      text += '...'
    } else if (Array.isArray(item)) {
      text += '['
      for (let index = 0; index < item.length && text.length <= limit; index++) {
        if (index > 0) text += ','
        write(item[index], depth + 1)
      }
      text += ']'
    } else if (typeof item === 'object' && item !== null) {
      text += '{'
      let first = true
      for (const key in item) {
        if (text.length > limit) break
        text += `${first ? '' : ','}${JSON.stringify(key.slice(0, limit))}:`
        first = false
        write((item as Record<string, unknown>)[key], depth + 1)
      }
      text += '}'
    } else {
      text += typeof item === 'string' ? JSON.stringify(item.slice(0, limit)) : (JSON.stringify(item) ?? String(item))
    }
  }
  write(value, 0)
  return text
}
