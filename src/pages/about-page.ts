import { existsSync, readFileSync } from 'node:fs'
import { h } from 'hastscript'
import type { Config } from '../config.js'
import { extensionAboutPath } from '../feeds/json-feed.js'
import { isTypeScriptSource, loadOnDemand } from '../load-on-demand.js'
import { renderPage, sanitizedHtml } from './layout.js'

const extensionAnchor = extensionAboutPath.slice(extensionAboutPath.indexOf('#') + 1)
// remark loads with the first visit to /about, not at start-up (see `loadOnDemand`).
const loadDocumentHtml = loadOnDemand<typeof import('./document-html.js')>(
  './document-html.js',
  import.meta.url,
  isTypeScriptSource(import.meta.url) ? await import('./document-html.js') : undefined,
)

/**
 * The documentation of the JSON Feed extension `_creditline`, which every item's `about`
 * URL names, in the site's language when the project ships that translation
 * (`docs/json-feed-extension.<language>.md`), in English otherwise.
 */
export function renderAboutPage(config: Pick<Config, 'baseUrl' | 'site'>): string {
  const { lang, markdown } = readExtensionDocs(config.site.language)
  const html = loadDocumentHtml().renderDocumentHtml(markdown, { titleId: extensionAnchor })
  return renderPage(
    config,
    {
      lang,
      title: `_creditline · ${config.site.title}`,
      description: lang === 'fr' ? 'Les crédits des images et les sources dans JSON Feed : l’extension _creditline.' : 'Picture credits and sources in JSON Feed: the _creditline extension.',
      canonical: `${config.baseUrl}/about`,
      feedPrefix: '',
      feedTitle: config.site.title,
      ogType: 'website',
    },
    [h('article', { lang }, [sanitizedHtml(html)])],
  )
}

function readExtensionDocs(siteLanguage: string): { lang: string; markdown: string } {
  const lang = siteLanguage.split('-')[0]!.toLowerCase()
  const translated = new URL(`../../docs/json-feed-extension.${lang}.md`, import.meta.url)
  if (lang !== 'en' && existsSync(translated)) return { lang, markdown: readFileSync(translated, 'utf8') }
  return { lang: 'en', markdown: readFileSync(new URL('../../docs/json-feed-extension.md', import.meta.url), 'utf8') }
}
