import rehypeSlug from 'rehype-slug'
import rehypeStringify from 'rehype-stringify'
import { remark } from 'remark'
import remarkGfm from 'remark-gfm'
import remarkRehype from 'remark-rehype'

/** The project's README as HTML, with GitHub-style ids on its headings (sanitized by the caller). */
export function renderReadmeHtml(markdown: string): string {
  return String(remark().use(remarkGfm).use(remarkRehype).use(rehypeSlug).use(rehypeStringify).processSync(markdown))
}
