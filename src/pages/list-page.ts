import type { ElementContent } from 'hast'
import { h } from 'hastscript'
import type { Config } from '../config.js'
import type { Article } from '../content/parse-article.js'
import { listPagePath, type FeedScope } from '../feeds/feed-model.js'
import { labelsFor } from '../labels.js'
import { formatCreditCaption } from '../markdown/credited-figures.js'
import { articleUrl, hasText, type ArticleRenderer, type RenderedArticle } from '../markdown/render-article.js'
import { formatDate } from '../dates.js'
import { renderPage, subscribeList } from './layout.js'

/** How many list pages a scope has: at least one, which may be empty. */
export function countListPages(scope: FeedScope, pageSize: number): number {
  return Math.max(1, Math.ceil(scope.articles.length / pageSize))
}

/**
 * A list of articles (home, tag or author page): each with its lead picture and
 * credit, summary and date, and the scope's subscribe links. `feed.size` articles a page,
 * newest first, with links to the newer and older pages (`rel="prev"`, `rel="next"`).
 *
 * @param number the page, from 1 to `countListPages`
 */
export function renderListPage(
  config: Pick<Config, 'baseUrl' | 'site' | 'feed'>,
  renderer: ArticleRenderer,
  scope: FeedScope,
  number = 1,
): string {
  const { baseUrl, site } = config
  const lang = site.language
  const labels = labelsFor(lang)
  const size = config.feed.size
  const shown = scope.articles.slice((number - 1) * size, number * size)
  // An article without its text is not published: no entry that leads to a 503.
  const items = shown.flatMap((article) => {
    const rendered = renderer.render(article)
    return hasText(rendered) ? [renderListItem(baseUrl, site.timeZone, rendered, article)] : []
  })
  const title = number === 1 ? scope.title : `${scope.title} · ${labels.page} ${number}`
  const prev = number > 1 ? `${baseUrl}${listPagePath(scope, number - 1)}` : undefined
  const next = number < countListPages(scope, size) ? `${baseUrl}${listPagePath(scope, number + 1)}` : undefined
  const main: ElementContent[] = [
    h('h1', title),
    h('p.description', scope.description),
    subscribeList(baseUrl, scope.prefix, scope.title, lang),
    h('ol.articles', number > 1 ? { start: (number - 1) * size + 1 } : {}, items),
  ]
  if (prev || next) {
    main.push(
      h('nav.pages', [
        ...(prev ? [h('a', { href: prev, rel: 'prev' }, `← ${labels.newerArticles}`)] : []),
        ...(prev && next ? [' · '] : []),
        ...(next ? [h('a', { href: next, rel: 'next' }, `${labels.olderArticles} →`)] : []),
      ]),
    )
  }
  const lead = shown[0] ? renderer.render(shown[0]).media.find((media) => media.lead) : undefined
  return renderPage(
    config,
    {
      lang,
      title,
      description: scope.description,
      canonical: `${baseUrl}${listPagePath(scope, number)}`,
      prev,
      next,
      feedPrefix: scope.prefix,
      feedTitle: scope.title,
      ogType: 'website',
      ogImage: lead?.url,
      ogImageAlt: lead?.alt,
    },
    main,
  )
}

function renderListItem(baseUrl: string, timeZone: string, rendered: RenderedArticle, article: Article): ElementContent {
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
