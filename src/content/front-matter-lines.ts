import { createRequire } from 'node:module'
import type { Node } from 'yaml'

// Loaded on the first problem only: valid content never needs it, and importing it costs
// start-up time. (`yaml` ships CommonJS for Node, so it can be required synchronously.)
let yamlModule: typeof import('yaml') | undefined
function loadYaml(): typeof import('yaml') {
  yamlModule ??= createRequire(import.meta.url)('yaml') as typeof import('yaml')
  return yamlModule
}

/**
 * 1-based line, within the front matter, of the key a validation issue points at,
 * or of its nearest ancestor that exists. Used only to report problems, so the
 * slower position-aware parser never runs for valid files.
 */
export function findFrontMatterLine(matter: string, path: ReadonlyArray<PropertyKey>): number | undefined {
  const { isMap, isScalar, isSeq, LineCounter, parseDocument } = loadYaml()
  const lineCounter = new LineCounter()
  const document = parseDocument(matter, { lineCounter, keepSourceTokens: false })
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

function lineOf(node: Node | null | undefined, lineCounter: import('yaml').LineCounter): number | undefined {
  const offset = node?.range?.[0]
  return offset === undefined ? undefined : lineCounter.linePos(offset).line
}
