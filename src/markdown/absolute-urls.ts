import type { Root } from 'hast'
import { parseSrcset, stringifySrcset } from 'srcset'
import type { Plugin } from 'unified'
import { visit } from 'unist-util-visit'
import type { VFile } from 'vfile'
import { resolveUrl, type UrlContext } from './resolve-url.js'

/** What the renderer puts in `file.data` for this plugin. */
export interface AbsoluteUrlsData {
  urlContext: UrlContext
}

const linkProperties = ['href', 'cite', 'longDesc'] as const
const mediaProperties = ['src'] as const

/**
 * rehype plugin: make every `href`, `src`, `srcset` and `cite` absolute (see `resolveUrl`).
 * It runs after sanitizing: it only rewrites URLs that sanitizing already accepted.
 * A value that no URL can be made of is removed rather than left relative.
 */
export const rehypeAbsoluteUrls: Plugin<[], Root> = () => (tree: Root, file: VFile) => {
  const context = (file.data as Partial<AbsoluteUrlsData>).urlContext
  if (!context) throw new Error('rehypeAbsoluteUrls needs file.data.urlContext')
  visit(tree, 'element', (node) => {
    const properties = node.properties
    for (const name of linkProperties) rewrite(properties, name, 'link')
    for (const name of mediaProperties) rewrite(properties, name, 'media')
    const srcSet = properties.srcSet
    if (srcSet !== undefined && srcSet !== null) {
      const value = Array.isArray(srcSet) ? srcSet.join(', ') : String(srcSet)
      try {
        properties.srcSet = stringifySrcset(
          parseSrcset(value).flatMap((candidate) => {
            const url = resolveUrl(context, candidate.url, 'media')
            return url === undefined ? [] : [{ ...candidate, url }]
          }),
        )
      } catch {
        delete properties.srcSet
      }
    }
  })

  function rewrite(properties: Record<string, unknown>, name: string, kind: 'link' | 'media') {
    const value = properties[name]
    if (typeof value !== 'string') return
    const url = resolveUrl(context!, value, kind)
    if (url === undefined) delete properties[name]
    else properties[name] = url
  }
}
