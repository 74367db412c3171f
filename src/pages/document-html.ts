import type { Element, Root } from 'hast'
import rehypeSanitize, { defaultSchema, type Options as SanitizeSchema } from 'rehype-sanitize'
import rehypeSlug from 'rehype-slug'
import rehypeStringify from 'rehype-stringify'
import { remark } from 'remark'
import remarkGfm from 'remark-gfm'
import remarkRehype from 'remark-rehype'

// GitHub's schema, as for articles, but without its `user-content-` prefix on ids: the
// feeds and other sites link to `/about#json-feed-extension-_creditline`.
const schema: SanitizeSchema = { ...defaultSchema, clobberPrefix: '' }

/** Options of `renderDocumentHtml`. */
export interface DocumentHtmlOptions {
  /**
   * The id of the document's first `<h1>`, whatever its text: a translation keeps the
   * anchor that URLs name, where rehype-slug would derive another one from its words.
   */
  titleId?: string
}

/**
 * One of the project's own Markdown documents (`docs/`) as sanitized HTML, with
 * GitHub-style ids on its headings. The text is ours, but a link such as `javascript:`
 * must not reach a page either.
 */
export function renderDocumentHtml(markdown: string, options: DocumentHtmlOptions = {}): string {
  const { titleId } = options
  return String(
    remark()
      .use(remarkGfm)
      .use(remarkRehype)
      .use(() => (tree: Root) => void (titleId && setTitleId(tree, titleId)))
      .use(rehypeSlug)
      .use(rehypeSanitize, schema)
      .use(rehypeStringify)
      .processSync(markdown),
  )
}

// rehype-slug leaves a heading that already has an id alone.
function setTitleId(tree: Root, id: string): void {
  const title = tree.children.find((node): node is Element => node.type === 'element' && node.tagName === 'h1')
  if (title) title.properties.id = id
}
