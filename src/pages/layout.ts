import type { Element, ElementContent } from 'hast'
import { h } from 'hastscript'
import { toHtml } from 'hast-util-to-html'
import type { Config } from '../config.js'
import { labelsFor } from '../labels.js'
import { feedFileNames, feedMediaTypes, type FeedFormat } from '../feeds/feed-model.js'
import { siteIconUrls } from '../feeds/site-icon.js'

/** What every page declares in its head. */
export interface PageHead {
  lang: string
  title: string
  description: string
  /** Absolute URL of the page. */
  canonical: string
  /** URL path prefix of the feeds this page offers (`''` for the site's). */
  feedPrefix: string
  /** Name shown in the subscribe links and discovery titles. */
  feedTitle: string
  /** Open Graph type: `website` or `article`. */
  ogType: 'website' | 'article'
  /** Absolute URL of the picture to preview the page with. */
  ogImage?: string | undefined
  ogImageAlt?: string | undefined
  published?: Date | undefined
  /** Absolute URLs of the previous (newer) and next (older) pages of a list. */
  prev?: string | undefined
  next?: string | undefined
}

const formatNames: Record<FeedFormat, string> = { rss: 'RSS', atom: 'Atom', json: 'JSON Feed' }
const formats: FeedFormat[] = ['rss', 'atom', 'json']

/** Links to a scope's three feeds, for autodiscovery, the `Link` header and subscribe lists. */
export function feedAlternates(baseUrl: string, prefix: string, title: string): Array<{ href: string; type: string; title: string; format: FeedFormat }> {
  return formats.map((format) => ({
    href: `${baseUrl}${prefix}/${feedFileNames[format]}`,
    type: feedMediaTypes[format].split(';')[0]!,
    title: `${title} (${formatNames[format]})`,
    format,
  }))
}

/**
 * A "Subscribe" list with a scope's feeds: RSS and Atom for people, whose readers all
 * take them, then JSON Feed, which most readers cannot read (docs/readers.md), for programs.
 */
export function subscribeList(baseUrl: string, prefix: string, title: string, lang: string): Element {
  const labels = labelsFor(lang)
  const [rss, atom, json] = feedAlternates(baseUrl, prefix, title)
  const link = (feed: typeof rss) => h('a', { href: feed!.href, type: feed!.type }, formatNames[feed!.format])
  return h('nav.subscribe', { ariaLabel: labels.subscribe }, [
    h('span', `${labels.subscribe}${labels.colon}`),
    link(rss),
    ' · ',
    link(atom),
    h('span.for-programs', [` · ${labels.forPrograms}${labels.colon}`, link(json)]),
  ])
}

/** The site icon as ICO (which every browser reads) and, while it is Creditline's own, as SVG. */
function siteIcons(baseUrl: string, site: Config['site']): Element[] {
  const { ico, svg } = siteIconUrls(baseUrl, site)
  return [h('link', { rel: 'icon', href: ico, type: 'image/x-icon' }), ...(svg ? [h('link', { rel: 'icon', href: svg, type: 'image/svg+xml' })] : [])]
}

/** HTML our renderer already sanitized, embedded as is (not parsed again). */
export function sanitizedHtml(html: string): ElementContent {
  return { type: 'raw', value: html } as unknown as ElementContent
}

/**
 * A complete HTML document with autodiscovery of the page's feeds, `lang`, a title
 * and Open Graph tags. Built as a hast tree, so every value is escaped by construction.
 */
export function renderPage(config: Pick<Config, 'baseUrl' | 'site'>, head: PageHead, main: ElementContent[]): string {
  const { baseUrl, site } = config
  const meta: Element[] = [
    h('meta', { charSet: 'utf-8' }),
    h('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
    h('title', head.title),
    h('meta', { name: 'description', content: head.description }),
    h('link', { rel: 'canonical', href: head.canonical }),
    h('link', { rel: 'stylesheet', href: `${baseUrl}/style.css` }),
    ...siteIcons(baseUrl, site),
    ...feedAlternates(baseUrl, head.feedPrefix, head.feedTitle).map((feed) => h('link', { rel: 'alternate', type: feed.type, title: feed.title, href: feed.href })),
    h('meta', { property: 'og:type', content: head.ogType }),
    h('meta', { property: 'og:title', content: head.title }),
    h('meta', { property: 'og:description', content: head.description }),
    h('meta', { property: 'og:url', content: head.canonical }),
    h('meta', { property: 'og:site_name', content: site.title }),
    h('meta', { property: 'og:locale', content: head.lang.replace('-', '_') }),
  ]
  if (head.ogImage) {
    meta.push(h('meta', { property: 'og:image', content: head.ogImage }))
    if (head.ogImageAlt) meta.push(h('meta', { property: 'og:image:alt', content: head.ogImageAlt }))
  }
  if (head.prev) meta.push(h('link', { rel: 'prev', href: head.prev }))
  if (head.next) meta.push(h('link', { rel: 'next', href: head.next }))
  if (head.published) meta.push(h('meta', { property: 'article:published_time', content: head.published.toISOString() }))
  const tree = h(null, [
    { type: 'doctype' },
    h('html', { lang: head.lang }, [
      h('head', meta),
      h('body', [
        h('header.site', [h('a', { href: `${baseUrl}/` }, site.title), subscribeList(baseUrl, '', site.title, head.lang)]),
        h('main', main),
        h('footer.site', [h('p', site.copyright)]),
      ]),
    ]),
  ])
  return `${toHtml(tree, { allowDangerousHtml: true })}\n`
}
