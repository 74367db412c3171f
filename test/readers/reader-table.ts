/**
 * What survives in each reader: the checks the suite makes on what a reader gives for
 * each bundled article, and the Markdown table they make (docs/readers.md).
 */
import type { FeedFile, ReadFeed, ReadItem, ReaderClient } from './reader-clients.js'

/** What a person must get of a bundled article, whatever the reader. */
export interface ExpectedArticle {
  slug: string
  title: string
  /** Instants a reader may show: the publication, or the last update. */
  dates: string[]
  authors: string[]
  /** A sentence of the article's own text, past its summary. */
  phrase: string
  /** Every picture credit, as the captions show it. */
  credits: string[]
  sources: string[]
  /** Content path of the lead picture. */
  lead: string | undefined
  /** A tag whose accents must survive. */
  accentedTag: string | undefined
}

/** The bundled content (content/), as its Markdown says. */
export const bundledArticles: ExpectedArticle[] = [
  {
    slug: 'amazon-operation-ratatouille',
    title: '« Ratatouille » : Amazon prépare une grande opération pour (re)séduire les clients français',
    dates: ['2026-11-26T08:00:00.000Z'],
    authors: ['La rédaction'],
    phrase: 'Le projet aurait pour nom de code « Ratatouille »',
    credits: ['© Shutterstock', '© Christian Wiediger via Unsplash', '© Amazon'],
    sources: ['Bloomberg', 'The Daily Telegraph'],
    lead: 'images/ratatouille-lead.svg',
    accentedTag: 'É-commerce',
  },
  {
    slug: 'legendes-photo-commerce-en-ligne',
    title: 'Pourquoi chaque photo de produit mérite sa légende',
    dates: ['2026-11-22T09:15:00.000Z'],
    authors: ['La rédaction'],
    phrase: "Il apparaît ensuite sous l'image",
    credits: [],
    sources: [],
    lead: undefined,
    accentedTag: undefined,
  },
  {
    slug: 'credits-in-feed-readers',
    title: 'How a photo credit reaches your feed reader',
    dates: ['2026-11-20T14:30:00.000Z', '2026-11-24T13:00:00.000Z'],
    authors: ['Ada Martin', 'Samir Haddad'],
    phrase: 'shows all of it at once',
    credits: ['© 2026 Creditline', '© Creditline'],
    sources: ['Media RSS Specification'],
    lead: 'images/feed-reader.svg',
    accentedTag: undefined,
  },
]

/** The columns of the table, in order. */
export const checks = ['title', 'link', 'date', 'authors', 'text', 'credits', 'sources', 'tags', 'thumbnail', 'icon', 'revalidation'] as const

/** One check. */
export type Check = (typeof checks)[number]

/**
 * A cell: `yes`; `text` (the authors' names only in the text, the byline, not in the
 * reader's author field); `no`; `none` (the reader has no such thing).
 */
export type Verdict = 'yes' | 'text' | 'no' | 'none'

/** One reader reading one format. */
export interface ReaderRow {
  client: string
  file: FeedFile
  /** Why it read nothing, if it did not. */
  failure: string | undefined
  verdicts: Partial<Record<Check, Verdict>>
}

/** What the suite knows of one read, besides the feed: where the site is and how the server answered the poll. */
export interface ReadContext {
  baseUrl: string
  /** Status of the reader's last request for the feed (its poll), if it made more than one. */
  pollStatus: number | undefined
}

/** The reader's item for an article: by link, else by title (a reader may mangle one of the two). */
export function findItem(feed: ReadFeed, baseUrl: string, article: ExpectedArticle): ReadItem | undefined {
  const url = `${baseUrl}/articles/${article.slug}`
  return feed.items.find((item) => item.link === url) ?? feed.items.find((item) => item.title === article.title)
}

const every = (values: boolean[]): Verdict => (values.every(Boolean) ? 'yes' : 'no')

/** Check what survives of every bundled article in one read. */
export function checkRead(client: ReaderClient, file: FeedFile, feed: ReadFeed, context: ReadContext): ReaderRow {
  if (feed.failure !== undefined) return { client: client.name, file, failure: feed.failure, verdicts: {} }
  const { baseUrl } = context
  const found = bundledArticles.map((article) => ({ article, item: findItem(feed, baseUrl, article) }))
  const per = (test: (item: ReadItem, article: ExpectedArticle) => boolean) => every(found.map(({ item, article }) => item !== undefined && test(item, article)))
  const inFields = per((item, article) => article.authors.every((name) => item.authors.some((author) => author.includes(name))))
  const inText = per((item, article) => article.authors.every((name) => item.authors.some((author) => author.includes(name)) || item.text.includes(name)))
  const withLead = found.filter(({ article }) => article.lead !== undefined)
  const withTag = found.filter(({ article }) => article.accentedTag !== undefined)
  const shows = client.shows(file)
  return {
    client: client.name,
    file,
    failure: undefined,
    verdicts: {
      title: per((item, article) => item.title === article.title),
      link: per((item, article) => item.link === `${baseUrl}/articles/${article.slug}`),
      date: per((item, article) => item.date !== undefined && article.dates.includes(item.date)),
      authors: inFields === 'yes' ? 'yes' : inText === 'yes' ? 'text' : 'no',
      text: per((item, article) => item.text.includes(article.phrase)),
      credits: per((item, article) => article.credits.every((credit) => item.text.includes(credit))),
      sources: per((item, article) => article.sources.every((source) => item.text.includes(source))),
      tags: shows.categories ? every(withTag.map(({ item, article }) => item?.categories.includes(article.accentedTag!) ?? false)) : 'none',
      thumbnail: shows.thumbnail ? every(withLead.map(({ item, article }) => item?.thumbnail === `${baseUrl}/media/${article.lead}`)) : 'none',
      icon: shows.icon ? every([feed.icon === `${baseUrl}/icon.png`]) : 'none',
      revalidation: client.revalidates ? every([context.pollStatus === 304]) : 'none',
    },
  }
}

const headings: Record<Check, string> = {
  title: 'Title',
  link: 'Link',
  date: 'Date',
  authors: 'All authors',
  text: 'Article text',
  credits: 'Every credit',
  sources: 'Sources',
  tags: 'Tags as written',
  thumbnail: 'Thumbnail',
  icon: 'Site icon',
  revalidation: '304 on poll',
}

const symbols: Record<Verdict, string> = { yes: '✓', text: '✓ (byline)', no: '✗', none: '–' }

const formatNames: Record<FeedFile, string> = { 'feed.xml': 'RSS', 'atom.xml': 'Atom', 'feed.json': 'JSON Feed' }

/** The Markdown table of every row (a failure fills the row with its message). */
export function formatReaderTable(rows: ReaderRow[]): string {
  const lines = [
    `| Reader | Format | ${checks.map((check) => headings[check]).join(' | ')} |`,
    `| --- | --- | ${checks.map(() => ':-:').join(' | ')} |`,
    ...rows.map((row) =>
      row.failure !== undefined
        ? `| ${row.client} | ${formatNames[row.file]} | cannot read it: ${row.failure.replace(/\s+/g, ' ').replace(/\|/g, '\\|')} |${' |'.repeat(checks.length - 1)}`
        : `| ${row.client} | ${formatNames[row.file]} | ${checks.map((check) => symbols[row.verdicts[check] ?? 'none']).join(' | ')} |`,
    ),
  ]
  return `${lines.join('\n')}\n`
}
