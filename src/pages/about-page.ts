import { readFileSync } from 'node:fs'
import { h } from 'hastscript'
import type { Config } from '../config.js'
import { isTypeScriptSource, loadOnDemand } from '../markdown/load-on-demand.js'
import { renderPage, sanitizedHtml } from './layout.js'

const readmeUrl = new URL('../../README.md', import.meta.url)
// remark loads with the first visit to /about, not at start-up (see `loadOnDemand`).
const loadReadmeHtml = loadOnDemand<typeof import('./readme-html.js')>(
  './readme-html.js',
  import.meta.url,
  isTypeScriptSource(import.meta.url) ? await import('./readme-html.js') : undefined,
)

/**
 * The project's README as a page, so that documentation URLs the feeds point at (the
 * `about` of the JSON Feed extension) resolve on the service itself. The README is our
 * own file, not user input, and its headings get GitHub-style ids.
 */
export function renderAboutPage(config: Pick<Config, 'baseUrl' | 'site'>): string {
  const markdown = readFileSync(readmeUrl, 'utf8')
  const html = loadReadmeHtml().renderReadmeHtml(markdown)
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
