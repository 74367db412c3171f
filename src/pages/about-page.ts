import { readFileSync } from 'node:fs'
import { h } from 'hastscript'
import rehypeSlug from 'rehype-slug'
import rehypeStringify from 'rehype-stringify'
import { remark } from 'remark'
import remarkGfm from 'remark-gfm'
import remarkRehype from 'remark-rehype'
import type { Config } from '../config.js'
import { renderPage, sanitizedHtml } from './layout.js'

const readmeUrl = new URL('../../README.md', import.meta.url)

/**
 * The project's README as a page, so that documentation URLs the feeds point at (the
 * `about` of the JSON Feed extension) resolve on the service itself. The README is our
 * own file, not user input, and its headings get GitHub-style ids.
 */
export function renderAboutPage(config: Pick<Config, 'baseUrl' | 'site'>): string {
  const markdown = readFileSync(readmeUrl, 'utf8')
  const html = String(remark().use(remarkGfm).use(remarkRehype).use(rehypeSlug).use(rehypeStringify).processSync(markdown))
  return renderPage(
    config,
    {
      lang: 'en',
      title: `About ${config.site.title}`,
      description: 'How Creditline publishes articles and their credits as RSS, Atom and JSON Feed.',
      canonical: `${config.baseUrl}/about`,
      feedPrefix: '',
      feedTitle: config.site.title,
      ogType: 'website',
    },
    [h('article', { lang: 'en' }, [sanitizedHtml(html)])],
  )
}
