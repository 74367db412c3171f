import type { ElementContent } from 'hast'
import { h } from 'hastscript'
import type { Config } from '../config.js'
import { formatDate, lastChanged } from '../dates.js'
import type { Article } from '../content/parse-article.js'
import { topicPath } from '../content/slugify-name.js'
import { labelsFor } from '../labels.js'
import { articleUrl, type ArticleRenderer } from '../markdown/render-article.js'
import { renderPage, sanitizedHtml } from './layout.js'

/**
 * The article page every feed item links to: the same content as the feeds, with its
 * figures and credits, the sources line, authors, tags and dates.
 */
export function renderArticlePage(config: Pick<Config, 'baseUrl' | 'site'>, renderer: ArticleRenderer, article: Article): string {
  const { baseUrl } = config
  const rendered = renderer.render(article)
  const labels = labelsFor(article.lang)
  const lead = rendered.media.find((media) => media.lead)
  const changed = lastChanged(article)
  const byline: ElementContent[] = [{ type: 'text', value: `${labels.by} ` }]
  article.authors.forEach((author, index) => {
    if (index > 0) byline.push({ type: 'text', value: ', ' })
    byline.push(h('a', { href: `${baseUrl}${topicPath('author', author.slug)}`, rel: 'author' }, author.name))
  })
  const header: ElementContent[] = [
    h('h1', article.title),
    h('p.byline', byline),
    h('p.dates', [
      `${labels.published} `,
      h('time', { dateTime: article.date.toISOString() }, formatDate(article.date, article.lang, config.site.timeZone)),
      ...(changed > article.date ? [` · ${labels.updated} `, h('time', { dateTime: changed.toISOString() }, formatDate(changed, article.lang, config.site.timeZone))] : []),
    ]),
  ]
  if (article.tags.length > 0) {
    header.push(
      h('p.tags', [
        `${labels.tagged}${labels.colon}`,
        ...article.tags.flatMap((tag, index) => [...(index > 0 ? [', '] : []), h('a', { href: `${baseUrl}${topicPath('tag', tag.slug)}`, rel: 'tag' }, tag.name)]),
      ]),
    )
  }
  return renderPage(
    config,
    {
      lang: article.lang,
      title: article.title,
      description: rendered.summary,
      canonical: articleUrl(baseUrl, article.slug),
      feedPrefix: '',
      feedTitle: config.site.title,
      ogType: 'article',
      ogImage: lead?.url,
      ogImageAlt: lead?.alt,
      published: article.date,
    },
    [h('article', { lang: article.lang }, [h('header', header), sanitizedHtml(rendered.html)])],
  )
}
