import type { z } from 'zod'
import { findClosestName } from './closest-name.js'
import { describeIssue, formatIssuePath } from '../zod-issues.js'
import type { Problem } from './format-problem.js'
import { createLineFinder, findDuplicateKey, findFirstAnchor } from './front-matter-lines.js'
import { knownFields, requiredFieldExamples } from './front-matter-schema.js'

/** Thrown while the YAML is read, at its first anchor (see `parseArticle`). */
export class AnchorRefusedError extends Error {
  constructor() {
    super('YAML anchors are not supported in front matter')
    this.name = 'AnchorRefusedError'
  }
}

/**
 * The problem a front matter that is not valid YAML poses, phrased for its editor: where
 * js-yaml's wording is about the grammar ("bad indentation of a mapping entry"), say what
 * to change instead.
 *
 * @param matter the YAML text, starting right after the opening `---` (its line 1 is the file's)
 * @param error what js-yaml threw, or `AnchorRefusedError`
 */
export function describeYamlError(file: string, matter: string, error: unknown): Problem {
  if (error instanceof AnchorRefusedError) {
    const place = findFirstAnchor(matter)
    return { file, line: place?.lines[0] ?? 1, field: place ? formatIssuePath(place.path) : 'front matter', message: 'YAML anchors (&name) and aliases (*name) are not supported in front matter; write the value out in full' }
  }
  const reason = (error as { reason?: string }).reason ?? (error as Error).message
  const markLine = (error as { mark?: { line?: number } }).mark?.line
  const line = markLine === undefined ? 1 : markLine + 1
  if (reason === 'duplicated mapping key') {
    const place = findDuplicateKey(matter)
    if (place?.lines.length === 2) return { file, line: place.lines[1]!, field: formatIssuePath(place.path), message: `written twice, on lines ${place.lines[0]} and ${place.lines[1]}; keep one` }
  }
  const lines = matter.split('\n')
  const written = parseKeyLine(lines[line - 1] ?? '')
  const field = written ? formatIssuePath(pathOfLine(lines, line - 1)) : 'front matter'
  const tag = /^unknown tag !<(.*)>$/.exec(reason)?.[1]
  if (tag !== undefined) {
    const shown = tag.startsWith('tag:yaml.org,2002:') ? `!!${tag.slice('tag:yaml.org,2002:'.length)}` : tag
    return { file, line, field, message: `the YAML tag ${shown} is not supported; remove it and write a plain value` }
  }
  // A line too long to repeat in a message gets the plain YAML error.
  if (written && written.key.length + written.value.length < 200 && /^[^"'[{|>&*!%@`:]/.test(written.value) && /:(\s|$)/.test(written.value)) {
    return { file, line, field, message: `the value contains ": "; put it in quotes: ${written.key}: ${JSON.stringify(written.value)}` }
  }
  return { file, line, field: 'front matter', message: `invalid YAML: ${reason}` }
}

/**
 * The problems zod found in a front matter, each at the line of its key (the first line
 * when the key is missing at the top), with a line to copy for a missing field and the
 * nearest known name for an unknown one. At most `maxListed`, then how many more: a
 * file of twenty thousand unknown keys is one mistake, not a list to read.
 */
export function describeSchemaIssues(file: string, matter: string, issues: ReadonlyArray<z.core.$ZodIssue>): Problem[] {
  const findLine = createLineFinder(matter)
  // One problem per unknown key: each is on its own line and may have its own suggestion.
  const found = issues.flatMap((issue): Array<{ issue: z.core.$ZodIssue; key?: string }> => (issue.code === 'unrecognized_keys' ? issue.keys.map((key) => ({ issue, key })) : [{ issue }]))
  const problems = found.slice(0, maxListed).map(({ issue, key }): Problem => {
    const field = formatIssuePath(issue.path)
    if (key !== undefined) return { file, line: findLine([...issue.path, key]) ?? 1, field, message: describeUnknownField(key, issue.path) }
    return { file, line: findLine(issue.path) ?? 1, field, message: describeMissingField(issue) ?? describeIssue(issue) }
  })
  if (found.length > maxListed) problems.push({ file, line: 1, field: 'front matter', message: `${found.length - maxListed} more problems not listed; fix these first` })
  return problems
}

const maxListed = 20

function describeMissingField(issue: z.core.$ZodIssue): string | undefined {
  if (issue.code !== 'invalid_type' || issue.input !== undefined) return undefined
  const example = requiredFieldExamples[withoutIndexes(issue.path)]
  if (example === undefined) return undefined
  const parent = issue.path.slice(0, -1)
  return `required; add a line such as "${example}"${parent.length === 0 ? '' : ` to ${formatIssuePath(parent)}`}`
}

function describeUnknownField(key: string, at: ReadonlyArray<PropertyKey>): string {
  const unknown = `unknown field ${JSON.stringify(key.length > 60 ? `${key.slice(0, 57)}...` : key)}`
  if (key === '<<') return `${unknown}; YAML merge keys are not supported, write the fields out`
  const closest = findClosestName(key, knownFields[withoutIndexes(at)] ?? [])
  return closest === undefined ? unknown : `${unknown}; did you mean "${closest}"?`
}

/** `sources[0].url` as `sources.url`: the shape of a field, whatever list item it is in. */
function withoutIndexes(path: ReadonlyArray<PropertyKey>): string {
  return path.filter((key) => typeof key === 'string').join('.')
}

/** The key and plain value of a `key: value` line (or of a `- key: value` list item). */
function parseKeyLine(text: string): { key: string; value: string } | undefined {
  const match = /^ *(?:- +)?([^\s#'"\-?:][^:]*?): +(.*?)\s*$/.exec(text)
  return match ? { key: match[1]!, value: match[2]! } : undefined
}

/**
 * Path of the key written on line `index`, read from the indentation of the lines above
 * it: the YAML around a syntax error cannot be parsed to find it. Written by hand for
 * block mappings and `- ` lists, the way front matter is written.
 */
function pathOfLine(lines: ReadonlyArray<string>, index: number): PropertyKey[] {
  const path: PropertyKey[] = []
  let target = Number.POSITIVE_INFINITY
  for (let at = index; at >= 0 && target > 0; at--) {
    const match = /^( *)(- +)?(?:([^\s#'"?:-][^:]*?):(?:\s|$))?/.exec(lines[at]!)
    if (!match || lines[at]!.trim() === '' || lines[at]!.trimStart().startsWith('#')) continue
    const indent = match[1]!.length
    const keyIndent = indent + (match[2]?.length ?? 0)
    if (at === index && match[3] !== undefined) {
      path.unshift(match[3])
      target = keyIndent
    } else if (keyIndent < target && match[3] !== undefined && match[2] === undefined) {
      path.unshift(match[3])
      target = keyIndent
      continue
    }
    if (match[2] !== undefined && indent < target) {
      path.unshift(countItemsAbove(lines, at, indent))
      target = indent
    }
  }
  return path
}

/** Index of the `- ` item on line `at` among the items of its list. */
function countItemsAbove(lines: ReadonlyArray<string>, at: number, indent: number): number {
  let count = 0
  for (let above = at - 1; above >= 0; above--) {
    const text = lines[above]!
    if (text.trim() === '') continue
    const lineIndent = text.length - text.trimStart().length
    if (lineIndent < indent) break
    if (lineIndent === indent && /^ *- /.test(text)) count++
  }
  return count
}
