import rehypeSanitize, { defaultSchema, type Options as SanitizeSchema } from 'rehype-sanitize'
import rehypeSlug from 'rehype-slug'
import rehypeStringify from 'rehype-stringify'
import { remark } from 'remark'
import remarkGfm from 'remark-gfm'
import remarkRehype from 'remark-rehype'

// GitHub's schema, as for articles, but without its `user-content-` prefix on ids: the
// page's own table of contents and other sites link to `/about#quick-start`.
const schema: SanitizeSchema = { ...defaultSchema, clobberPrefix: '' }

/**
 * The project's README as sanitized HTML, with GitHub-style ids on its headings. The README
 * is the project's own text, but a link such as `javascript:` must not reach a page either.
 */
export function renderReadmeHtml(markdown: string): string {
  return String(remark().use(remarkGfm).use(remarkRehype).use(rehypeSlug).use(rehypeSanitize, schema).use(rehypeStringify).processSync(markdown))
}
