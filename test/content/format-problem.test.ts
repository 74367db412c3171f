import { describe, expect, it } from 'vitest'
import { formatProblem, type Problem } from '../../src/content/format-problem.js'
import { formatIssuePath } from '../../src/zod-issues.js'

describe('formatProblem', () => {
  it.each([
    [{ file: 'a.md', line: 3, field: 'date', message: 'expected an ISO 8601 date with time zone, got "yesterday"' }, 'a.md:3: date: expected an ISO 8601 date with time zone, got "yesterday"'],
    [{ file: 'news/b.md', line: 12, field: 'body', message: 'image "x" has no credit' }, 'news/b.md:12: body: image "x" has no credit'],
    [{ file: 'c.md', field: 'slug', message: 'duplicate slug "c", already used by a.md' }, 'c.md: slug: duplicate slug "c", already used by a.md'],
    [{ file: 'd.md', line: 1, field: 'image.credit', message: 'required' }, 'd.md:1: image.credit: required'],
    [{ file: 'e.md', line: 1, field: 'id', message: 'missing', effect: 'published', severity: 'warning' }, 'e.md:1: warning: id: missing (published)'],
    [{ file: 'f.md', line: 2, field: 'date', message: 'required', effect: 'held back', severity: 'error' }, 'f.md:2: date: required (held back)'],
  ] satisfies Array<[Problem, string]>)('formatProblem(%o) is %j', (problem, line) => {
    expect(formatProblem(problem)).toBe(line)
  })
})

describe('formatIssuePath', () => {
  it.each([
    [[], '(root)'],
    [['date'], 'date'],
    [['image', 'credit'], 'image.credit'],
    [['sources', 0, 'url'], 'sources[0].url'],
    [['author', 1], 'author[1]'],
    [['tags', 2], 'tags[2]'],
  ] satisfies Array<[PropertyKey[], string]>)('formatIssuePath(%j) is %j', (path, field) => {
    expect(formatIssuePath(path)).toBe(field)
  })
})
