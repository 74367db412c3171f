import type { Document, LineCounter, Node, Pair } from 'yaml'
import { loadOnDemand } from '../load-on-demand.js'

// Loaded on the first problem only: valid content never needs it, and importing it costs
// start-up time. (`yaml` ships CommonJS for Node, so it can be required synchronously.)
const loadYaml = loadOnDemand<typeof import('yaml')>('yaml', import.meta.url)

/**
 * 1-based line, within the front matter, of the key a validation issue points at,
 * or of its nearest ancestor that exists. Used only to report problems, so the
 * slower position-aware parser never runs for valid files.
 */
export function findFrontMatterLine(matter: string, path: ReadonlyArray<PropertyKey>): number | undefined {
  return createLineFinder(matter)(path)
}

/** `findFrontMatterLine` for many paths of one front matter, which is parsed once. */
export function createLineFinder(matter: string): (path: ReadonlyArray<PropertyKey>) => number | undefined {
  const { isMap, isScalar, isSeq } = loadYaml()
  const { document, lineCounter } = parseWithLines(matter)
  return (path) => {
    let node: unknown = document.contents
    let line: number | undefined
    for (const key of path) {
      if (isMap(node)) {
        const pair = node.items.find((item) => isScalar(item.key) && item.key.value === key)
        if (!pair) break
        line = lineOf(pair.key as Node, lineCounter) ?? line
        node = pair.value
      } else if (isSeq(node) && typeof key === 'number') {
        const item = node.items[key]
        if (!item) break
        line = lineOf(item as Node, lineCounter) ?? line
        node = item
      } else {
        break
      }
    }
    return line
  }
}

/** A key or value of the front matter: its path from the top (as zod gives one) and the 1-based lines it is on. */
export interface FrontMatterPlace {
  path: PropertyKey[]
  lines: number[]
}

/**
 * The first node with a YAML anchor (`&name`) or an alias (`*name`), at the line of its
 * key. Parsing without making JavaScript values never expands an alias, so this is safe
 * on an alias bomb.
 */
export function findFirstAnchor(matter: string): FrontMatterPlace | undefined {
  const { isAlias, visit } = loadYaml()
  const { document, lineCounter } = parseWithLines(matter)
  let found: FrontMatterPlace | undefined
  visit(document, {
    Node(_key, node, ancestors) {
      if (!isAlias(node) && node.anchor === undefined) return undefined
      const parent = ancestors.at(-1)
      // An anchored mapping starts on the line after its key: the key's line is the one to fix.
      const line = lineOf(isPairOf(parent, node) ? (parent.key as Node) : node, lineCounter)
      found = { path: pathOf(ancestors, node), lines: line === undefined ? [] : [line] }
      return visit.BREAK
    },
  })
  return found
}

/** The first key written twice in one mapping, with the lines of both. */
export function findDuplicateKey(matter: string): FrontMatterPlace | undefined {
  const { isScalar, visit } = loadYaml()
  const { document, lineCounter } = parseWithLines(matter)
  let found: FrontMatterPlace | undefined
  visit(document, {
    Map(_key, map, ancestors) {
      const seen = new Map<unknown, Pair>()
      for (const pair of map.items) {
        const key = isScalar(pair.key) ? pair.key.value : pair.key
        const first = seen.get(key)
        if (first) {
          const lines = [lineOf(first.key as Node, lineCounter), lineOf(pair.key as Node, lineCounter)].filter((line) => line !== undefined)
          found = { path: [...pathOf(ancestors, map), key as PropertyKey], lines }
          return visit.BREAK
        }
        seen.set(key, pair)
      }
      return undefined
    },
  })
  return found
}

function parseWithLines(matter: string): { document: Document; lineCounter: LineCounter } {
  const { LineCounter, parseDocument } = loadYaml()
  const lineCounter = new LineCounter()
  // uniqueKeys off: a duplicate key is what findDuplicateKey looks for, not a reason to stop.
  return { document: parseDocument(matter, { lineCounter, keepSourceTokens: false, uniqueKeys: false }), lineCounter }
}

function isPairOf(parent: unknown, node: unknown): parent is Pair {
  return loadYaml().isPair(parent) && parent.value === node
}

/** Path from the top of the document to `node`, as keys and sequence indexes. */
function pathOf(ancestors: ReadonlyArray<unknown>, node: unknown): PropertyKey[] {
  const { isPair, isScalar, isSeq } = loadYaml()
  const path: PropertyKey[] = []
  ancestors.forEach((ancestor, index) => {
    const child = ancestors[index + 1] ?? node
    if (isPair(ancestor)) path.push(isScalar(ancestor.key) ? String(ancestor.key.value) : '?')
    else if (isSeq(ancestor)) path.push(ancestor.items.indexOf(child as never))
  })
  return path
}

function lineOf(node: Node | null | undefined, lineCounter: LineCounter): number | undefined {
  const offset = node?.range?.[0]
  return offset === undefined ? undefined : lineCounter.linePos(offset).line
}
