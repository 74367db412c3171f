import type { Definition, Image, ImageReference } from 'mdast'
import { remark } from 'remark'
import remarkGfm from 'remark-gfm'
import { visit } from 'unist-util-visit'
import { resolveUrl, type UrlContext } from '../markdown/resolve-url.js'

const parser = remark().use(remarkGfm).freeze()

/**
 * Lines (1-based, within the body) of the pictures of a Markdown body, by absolute URL
 * as the renderer resolves it, in document order. The rendered article does not keep
 * lines for pictures that have no problem of their own, so `check` looks them up here,
 * only for the rare article that needs it.
 */
export function locateBodyImages(markdown: string, context: UrlContext): Map<string, number[]> {
  const tree = parser.parse(markdown)
  const definitions = new Map<string, Definition>()
  visit(tree, 'definition', (node: Definition) => {
    if (!definitions.has(node.identifier)) definitions.set(node.identifier, node)
  })
  const lines = new Map<string, number[]>()
  visit(tree, (node) => {
    if (node.type !== 'image' && node.type !== 'imageReference') return
    const src = node.type === 'image' ? (node as Image).url : definitions.get((node as ImageReference).identifier)?.url
    const line = node.position?.start.line
    const url = src === undefined ? undefined : resolveUrl(context, src, 'media')
    if (url === undefined || line === undefined) return
    const list = lines.get(url) ?? []
    list.push(line)
    lines.set(url, list)
  })
  return lines
}
