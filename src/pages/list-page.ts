import type { ElementContent } from 'hast'
import { h } from 'hastscript'
import type { Config } from '../config.js'
import type { Article } from '../content/parse-article.js'
import { feedPath, type FeedScope } from '../feeds/feed-model.js'
import { labelsFor } from '../labels.js'
import { formatCreditCaption } from '../markdown/credited-figures.js'
import { articleUrl, type ArticleRenderer } from '../markdown/render-article.js'
import { formatDate } from './format-date.js'
import { renderPage, subscribeList } from './layout.js'

/**
 * A list of articles (home, tag or author page): each with its lead picture and
 * credit, summary and date, and the scope's subscribe links.
 */
export function renderListPage(
  config: Pick<Config, 'baseUrl' | 'site' | 'feed'>,
  renderer: ArticleRenderer,
  scope: FeedScope,
): string {
  const { baseUrl, site } = config
  const lang = site.language
  const labels = labelsFor(lang)
  const shown = scope.articles.slice(0, config.feed.size)
  const items = shown.map((article) => renderListItem(baseUrl, site.timeZone, renderer, article))
  const main: ElementContent[] = [
    h('h1', scope.title),
    h('p.description', scope.description),
    subscribeList(baseUrl, scope.prefix, scope.title, lang),
    h('ol.articles', items),
  ]
  if (scope.articles.length > shown.length) {
    main.push(h('p.archives', [`${labels.olderArticles}${labels.colon}`, h('a', { href: `${baseUrl}${feedPath(scope.prefix, 'json', { kind: 'page', number: 2 })}` }, 'JSON Feed'), ', ', h('a', { href: `${baseUrl}${feedPath(scope.prefix, 'atom', { kind: 'archive', number: 1 })}` }, 'Atom')]))
  }
  const lead = shown[0] ? renderer.render(shown[0]).media.find((media) => media.lead) : undefined
  return renderPage(
    config,
    {
      lang,
      title: scope.title,
      description: scope.description,
      canonical: `${baseUrl}${scope.pagePath}`,
      feedPrefix: scope.prefix,
      feedTitle: scope.title,
      ogType: 'website',
      ogImage: lead?.url,
      ogImageAlt: lead?.alt,
    },
    main,
  )
}

function renderListItem(baseUrl: string, timeZone: string, renderer: ArticleRenderer, article: Article): ElementContent {
  const rendered = renderer.render(article)
  const lead = rendered.media.find((media) => media.lead)
  const url = articleUrl(baseUrl, article.slug)
  const children: ElementContent[] = []
  if (lead) {
    children.push(
      h('figure', [
        h('a', { href: url }, [h('img', { src: lead.url, alt: lead.alt, loading: 'lazy' })]),
        ...(lead.credit ? [h('figcaption', formatCreditCaption(lead.credit, lead.copyright))] : []),
      ]),
    )
  }
  children.push(
    h('h2', { lang: article.lang }, [h('a', { href: url }, article.title)]),
    h('p.dates', [h('time', { dateTime: article.date.toISOString() }, formatDate(article.date, article.lang, timeZone))]),
    h('p.summary', { lang: article.lang }, rendered.summary),
  )
  return h('li', children)
}
