import type { Element, Root } from 'hast'
import { toString } from 'hast-util-to-string'
import rehypeSanitize, { defaultSchema, type Options as SanitizeSchema } from 'rehype-sanitize'
import rehypeStringify from 'rehype-stringify'
import { remark } from 'remark'
import remarkGfm from 'remark-gfm'
import remarkRehype from 'remark-rehype'
import { visit } from 'unist-util-visit'
import { VFile } from 'vfile'
import { rehypeAbsoluteUrls } from './absolute-urls.js'
import { rehypeCreditedFigures, type BodyImage } from './credited-figures.js'
import { resolveUrl, type UrlContext } from './resolve-url.js'

export { rendererVersion } from './renderer-version.js'

/** A body picture with its absolute URL. */
export interface RenderedImage extends Omit<BodyImage, 'src'> {
  url: string
}

/** A Markdown body turned into safe HTML. */
export interface RenderedBody {
  /** Sanitized HTML with absolute URLs and credited figures. */
  html: string
  images: RenderedImage[]
  /** Pictures whose `src` no http(s) URL can be made of (dropped from the feeds). */
  rejected: Array<{ src: string; line?: number | undefined }>
  /** Plain text from the first paragraphs, for a summary when the editor wrote none. */
  excerpt: string
}

const schema: SanitizeSchema = {
  ...defaultSchema,
  tagNames: [...(defaultSchema.tagNames ?? []), 'figure', 'figcaption'],
}

// Built and frozen once: resolving plugins per call would cost more than rendering a short article.
const processor = remark()
  .use(remarkGfm)
  .use(remarkRehype)
  .use(rehypeCreditedFigures)
  // Sanitize after the last transform that could introduce markup, and before the one that only rewrites URLs.
  .use(rehypeSanitize, schema)
  .use(rehypeAbsoluteUrls)
  .use(rehypeStringify)
  .freeze()

const excerptLength = 280

/**
 * Render an article body from Markdown (GFM) to sanitized HTML: no script, style,
 * iframe, event attribute or `javascript:` URL survives; raw HTML is dropped.
 *
 * @param markdown the article body
 * @param urlContext where the article lives, to make its URLs absolute
 */
export function renderMarkdown(markdown: string, urlContext: UrlContext): RenderedBody {
  const file = new VFile({ value: markdown, data: { urlContext } })
  const tree = processor.runSync(processor.parse(file), file) as Root
  const html = String(processor.stringify(tree, file))
  const found = (file.data as { images?: BodyImage[] }).images ?? []
  const images: RenderedImage[] = []
  const rejected: RenderedBody['rejected'] = []
  for (const { src, ...rest } of found) {
    const url = resolveUrl(urlContext, src, 'media')
    if (url === undefined) rejected.push({ src, line: rest.line })
    else images.push({ ...rest, url })
  }
  return { html, images, rejected, excerpt: extractExcerpt(tree) }
}

/** Text of the leading paragraphs, cut at a word boundary. */
function extractExcerpt(tree: Root): string {
  let text = ''
  visit(tree, 'element', (node: Element) => {
    if (text.length >= excerptLength) return false
    if (node.tagName !== 'p') return undefined
    text += `${text ? ' ' : ''}${toString(node).replace(/\s+/g, ' ').trim()}`
    return 'skip'
  })
  if (text.length <= excerptLength) return text
  const cut = text.slice(0, excerptLength)
  const space = cut.lastIndexOf(' ')
  return `${(space > excerptLength / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.]+$/, '')}…`
}
