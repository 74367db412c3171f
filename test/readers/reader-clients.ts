/**
 * The feed readers of the compatibility suite, each driven as its users drive it, and
 * what each one gives a person (or a program) reduced to the same shape: `ReadFeed`.
 * Debian's programs run as processes with temporary files (nothing in $HOME); the npm
 * parsers run in-process. Each reader fetches a feed twice, so that the server can count
 * whether the second fetch was conditional.
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { extract } from '@extractus/feed-extractor'
import { parseFeed } from 'feedsmith'
import Parser from 'rss-parser'
import { parseHtmlFragment, visibleText } from '../fixtures/parse-html.js'

const run = promisify(execFile)

/** The three formats, by the file name the suite reads. */
export type FeedFile = 'feed.xml' | 'atom.xml' | 'feed.json'

/** One item as a reader gives it. */
export interface ReadItem {
  title: string | undefined
  link: string | undefined
  /** ISO 8601, when the reader gives a date. */
  date: string | undefined
  /** Names in the reader's author field(s). */
  authors: string[]
  /** The text a person reads for the item (its content, as text, white space collapsed). */
  text: string
  categories: string[]
  /** Picture URL the reader shows as the item's thumbnail or attachment. */
  thumbnail: string | undefined
}

/** A feed as a reader gives it, or why it could not read it. */
export interface ReadFeed {
  /** What the reader said when it read nothing (an error, or "0 items"). */
  failure: string | undefined
  items: ReadItem[]
  /** The site icon or image URL the reader knows. */
  icon: string | undefined
}

/** What a reader does with a feed, and which of the checks it can pass at all. */
export interface ReaderClient {
  name: string
  /** The Debian program it needs, if any. */
  program?: string
  /** Sends validators on its second fetch (ETag, Last-Modified). */
  revalidates: boolean
  /** Whether it has, for a format, a thumbnail or attachment of an item, a site icon, an item's categories. */
  shows(file: FeedFile): { thumbnail: boolean; icon: boolean; categories: boolean }
  /** How it is set up, for the table's notes. */
  setup: string
  /** Read `url`, then poll it as the reader would (a newsboat poll is its third fetch), and report what it got. */
  read(url: string, file: FeedFile): Promise<ReadFeed>
}

/** Text of an HTML fragment as a person sees it. */
export function htmlToText(html: string): string {
  try {
    return visibleText(parseHtmlFragment(html))
  } catch {
    // Not our own HTML any more (a reader re-serialized it loosely): its text without tags.
    return html.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim()
  }
}

function collapse(text: string | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim()
}

function isoOf(value: string | number | undefined | null): string | undefined {
  if (value === undefined || value === null || value === '') return undefined
  const date = typeof value === 'number' ? new Date(value * 1000) : new Date(value)
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString()
}

async function withTempDir<T>(prefix: string, use: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix))
  try {
    return await use(dir)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

const python = '/usr/bin/python3'

async function runPython(script: string, args: string[]): Promise<unknown> {
  const { stdout } = await run(python, ['-c', script, ...args], { maxBuffer: 32 * 2 ** 20 })
  return JSON.parse(stdout)
}

// feedparser, fetching as an application does: parse(url), then parse(url, etag, modified).
const feedparserScript = String.raw`
import calendar, json, sys, feedparser
url = sys.argv[1]
d = feedparser.parse(url)
feedparser.parse(url, etag=d.get('etag'), modified=d.get('modified'))
def iso(t):
    return None if t is None else calendar.timegm(t)
def content(e):
    for c in e.get('content', []):
        return c.get('value', '')
    return e.get('summary', '')
print(json.dumps({
  'failure': None if d.get('version') else 'not a feed it reads (%s)' % str(d.get('bozo_exception') or 'unknown format').strip(),
  'icon': d.feed.get('icon') or (d.feed.get('image') or {}).get('href'),
  'items': [{
    'title': e.get('title'), 'link': e.get('link'), 'date': iso(e.get('published_parsed') or e.get('updated_parsed')),
    'author': e.get('author'), 'authors': [a.get('name') for a in e.get('authors', []) if a.get('name')],
    'summaryType': (e.get('summary_detail') or {}).get('type'), 'summary': e.get('summary'),
    'content': content(e), 'categories': [t.get('term') for t in e.get('tags', [])],
    'thumbnail': (e.get('media_thumbnail') or [{}])[0].get('url'),
  } for e in d.entries],
}))
`

/** What feedparser gives a program: `author` (one string) and `summary` are what most applications show. */
export interface FeedparserEntry {
  author: string | undefined
  summaryType: string | undefined
  summary: string | undefined
}

/** Debian's python3-feedparser, as a program uses it (entry.content, else entry.summary). */
export const feedparserClient: ReaderClient & { readEntries(url: string): Promise<FeedparserEntry[]> } = {
  name: 'feedparser 6 (Debian)',
  program: '/usr/lib/python3/dist-packages/feedparser/__init__.py',
  revalidates: true,
  shows: () => ({ thumbnail: true, icon: true, categories: true }),
  setup: 'feedparser.parse(url), then again with its etag and modified',
  async read(url) {
    const raw = (await runPython(feedparserScript, [url])) as {
      failure: string | null
      icon: string | null
      items: Array<{ title: string | null; link: string | null; date: number | null; authors: string[]; content: string; categories: string[]; thumbnail: string | null }>
    }
    return {
      failure: raw.failure ?? (raw.items.length === 0 ? 'no items' : undefined),
      icon: raw.icon ?? undefined,
      items: raw.items.map((item) => ({
        title: item.title ?? undefined,
        link: item.link ?? undefined,
        date: isoOf(item.date),
        authors: item.authors,
        text: htmlToText(item.content),
        categories: item.categories,
        thumbnail: item.thumbnail ?? undefined,
      })),
    }
  },
  async readEntries(url) {
    const raw = (await runPython(feedparserScript, [url])) as { items: Array<{ author: string | null; summaryType: string | null; summary: string | null }> }
    return raw.items.map((item) => ({ author: item.author ?? undefined, summaryType: item.summaryType ?? undefined, summary: item.summary ?? undefined }))
  },
}

// One message per file: rss2email pipes each mail to its `sendmail` program.
const sendmailScript = `#!/bin/sh\ncat > "$(dirname "$0")/mail/$$-$(date +%s%N).eml"\n`

const mailScript = String.raw`
import email, email.policy, glob, json, os, sys
mails = []
for name in sorted(glob.glob(os.path.join(sys.argv[1], '*.eml'))):
    with open(name, 'rb') as f:
        m = email.message_from_binary_file(f, policy=email.policy.default)
    body = m.get_body(('html', 'plain'))
    mails.append({'from': str(m['From'].addresses[0].display_name), 'subject': str(m['Subject']), 'date': m['Date'].datetime.isoformat(), 'type': body.get_content_type(), 'body': body.get_content()})
print(json.dumps(mails))
`

/** One mail as rss2email sent it. */
export interface Mail {
  from: string
  subject: string
  date: string
  type: string
  body: string
}

/**
 * rss2email: `r2e run` with its default settings, but for two: mail goes to a script
 * that files each message (instead of /usr/sbin/sendmail), and `date-header = True`, so
 * the mail is dated with the article rather than with the time it was sent.
 */
async function runRss2email(url: string, html: boolean): Promise<Mail[]> {
  return withTempDir('creditline-r2e-', async (dir) => {
    const config = path.join(dir, 'r2e.cfg')
    const data = path.join(dir, 'r2e.json')
    const sendmail = path.join(dir, 'sendmail')
    await writeFile(sendmail, sendmailScript)
    await chmod(sendmail, 0o755)
    await run('/usr/bin/mkdir', [path.join(dir, 'mail')])
    await run('/usr/bin/r2e', ['-c', config, '-d', data, 'new', 'reader@example.org'])
    const settings = (await readFile(config, 'utf8'))
      .replace(/^sendmail = .*$/m, `sendmail = ${sendmail}`)
      .replace(/^date-header = .*$/m, 'date-header = True')
      .replace(/^html-mail = .*$/m, `html-mail = ${html ? 'True' : 'False'}`)
    await writeFile(config, settings)
    await run('/usr/bin/r2e', ['-c', config, '-d', data, 'add', 'feed', url])
    // The first run mails every item; the second polls, as cron would.
    await run('/usr/bin/r2e', ['-c', config, '-d', data, 'run'])
    await run('/usr/bin/r2e', ['-c', config, '-d', data, 'run'])
    return (await runPython(mailScript, [path.join(dir, 'mail')])) as Mail[]
  })
}

function rss2emailFeed(mails: Mail[], html: boolean): ReadFeed {
  return {
    failure: mails.length === 0 ? 'sent no mail' : undefined,
    icon: undefined,
    items: mails.map((mail) => {
      const text = html ? htmlToText(mail.body) : collapse(mail.body)
      // The text mail ends with "URL: <link>"; the HTML mail links the title to it.
      const link = html ? /<a href="([^"]+)">/.exec(mail.body)?.[1] : /^URL: (\S+)/m.exec(mail.body)?.[1]
      return {
        title: mail.subject,
        link,
        date: isoOf(mail.date),
        // The sender's name is "<feed title>: <author>" (name-format).
        authors: [mail.from.replace(/^[^:]*: /, '')],
        text,
        categories: [],
        thumbnail: undefined,
      }
    }),
  }
}

/** rss2email's default mail (text), and with `html-mail = True`. */
export function rss2emailClient(html: boolean): ReaderClient & { readMails(url: string): Promise<Mail[]> } {
  return {
    name: html ? 'rss2email 3 (Debian), HTML mail' : 'rss2email 3 (Debian), text mail',
    program: '/usr/bin/r2e',
    revalidates: true,
    shows: () => ({ thumbnail: false, icon: false, categories: false }),
    setup: `r2e run twice, mail filed by a sendmail script, date-header = True${html ? ', html-mail = True' : ''}`,
    async read(url) {
      return rss2emailFeed(await runRss2email(url, html), html)
    },
    readMails: (url) => runRss2email(url, html),
  }
}

const newsboatScript = String.raw`
import json, sqlite3, sys
c = sqlite3.connect(sys.argv[1])
rows = c.execute('select title, author, url, pubDate, content from rss_item order by pubDate desc').fetchall()
print(json.dumps([dict(zip(['title', 'author', 'url', 'date', 'content'], row)) for row in rows]))
`

/** newsboat: `newsboat -x reload` twice on a temporary urls file, configuration and cache, then its cache read with sqlite3. */
export const newsboatClient: ReaderClient = {
  name: 'newsboat 2.21 (Debian)',
  program: '/usr/bin/newsboat',
  revalidates: true,
  // A text reader: it keeps only audio and video enclosures (podcasts), and no picture.
  shows: () => ({ thumbnail: false, icon: false, categories: false }),
  setup: 'newsboat -x reload twice, its SQLite cache read back',
  read: (url) =>
    withTempDir('creditline-newsboat-', async (dir) => {
      const urls = path.join(dir, 'urls')
      const cache = path.join(dir, 'cache.db')
      const config = path.join(dir, 'config')
      await writeFile(urls, `${url}\n`)
      await writeFile(config, '')
      const args = ['-u', urls, '-c', cache, '-C', config, '-x', 'reload']
      // Three reloads: on a new feed, newsboat stores the validators of its second fetch, not its first.
      for (let reload = 0; reload < 3; reload++) await run('/usr/bin/newsboat', args, { env: { ...process.env, HOME: dir } })
      const rows = (await runPython(newsboatScript, [cache])) as Array<{ title: string; author: string; url: string; date: number; content: string }>
      return {
        failure: rows.length === 0 ? 'no items' : undefined,
        icon: undefined,
        items: rows.map((row) => ({
          title: row.title,
          link: row.url,
          date: isoOf(row.date),
          authors: row.author ? [row.author] : [],
          text: htmlToText(row.content),
          categories: [],
          thumbnail: undefined,
        })),
      }
    }),
}

/** Unescape one sfeed TSV field (\\n, \\t, \\\\). */
function unescapeSfeed(field: string): string {
  return field.replace(/\\(.)/g, (_all, char: string) => (char === 'n' ? '\n' : char === 't' ? '\t' : char))
}

/** sfeed: the feed on stdin, one TSV line per item out (sfeed has no HTTP: sfeed_update fetches with curl, which the suite's fetch stands for). */
export const sfeedClient: ReaderClient = {
  name: 'sfeed 1.7 (Debian)',
  program: '/usr/bin/sfeed',
  revalidates: false,
  shows: () => ({ thumbnail: true, icon: false, categories: true }),
  setup: 'the feed piped to sfeed, its TSV read',
  async read(url) {
    const body = Buffer.from(await (await fetch(url)).arrayBuffer())
    const stdout = await new Promise<string>((resolve, reject) => {
      const child = execFile('/usr/bin/sfeed', { maxBuffer: 32 * 2 ** 20 }, (error, out) => (error ? reject(error) : resolve(out)))
      child.stdin!.end(body)
    })
    const lines = stdout.split('\n').filter((line) => line !== '')
    return {
      failure: lines.length === 0 ? 'exit 0, no items' : undefined,
      icon: undefined,
      items: lines.map((line) => {
        const [timestamp, title, link, content, contentType, , author, enclosure, category] = line.split('\t').map(unescapeSfeed)
        return {
          title,
          link,
          date: isoOf(Number(timestamp)),
          authors: author ? [author] : [],
          text: contentType === 'html' ? htmlToText(content ?? '') : collapse(content),
          categories: category ? category.split('|') : [],
          thumbnail: enclosure || undefined,
        }
      }),
    }
  },
}

async function fetchTwice(url: string): Promise<string> {
  const first = await fetch(url)
  const text = await first.text()
  // A program that stores nothing between polls sends no validators: the second fetch is a plain GET.
  await (await fetch(url)).arrayBuffer()
  return text
}

/** Failure of an npm parser, as a one-line message. */
function failureOf(error: unknown): ReadFeed {
  return { failure: `throws: ${(error as Error).message.split('\n')[0]!.trim()}`, items: [], icon: undefined }
}

type RssParserItem = Parser.Item & { 'content:encoded'?: string; creator?: string; author?: string; categories?: Array<string | { _: string }> }

/** rss-parser 3: `parseURL`, with its defaults. */
export const rssParserClient: ReaderClient = {
  name: 'rss-parser 3 (npm)',
  revalidates: false,
  // Its Atom reader takes no category, enclosure or icon at all.
  shows: (file) => ({ thumbnail: file === 'feed.xml', icon: file === 'feed.xml', categories: file === 'feed.xml' }),
  setup: 'new Parser().parseURL(url)',
  async read(url) {
    try {
      const feed = await new Parser().parseURL(url)
      await (await fetch(url)).arrayBuffer()
      return {
        failure: feed.items.length === 0 ? 'no items' : undefined,
        icon: feed.image?.url,
        items: (feed.items as RssParserItem[]).map((item) => ({
          title: item.title,
          link: item.link,
          date: item.isoDate,
          authors: [item.creator ?? item.author].filter((name): name is string => typeof name === 'string'),
          text: htmlToText(item['content:encoded'] ?? item.content ?? ''),
          categories: (item.categories ?? []).map((category: unknown) => textOf(category)),
          thumbnail: item.enclosure?.url,
        })),
      }
    } catch (error) {
      return failureOf(error)
    }
  },
}

type ExtraFields = {
  content: string
  authors: string[]
  thumbnail: string | undefined
  categories: string[]
}

/** Text of a value @extractus/feed-extractor's XML parser gives (a string, or an object with its text). */
function textOf(value: unknown): string {
  if (typeof value === 'string') return value
  if (typeof value === 'number') return String(value)
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>
    return textOf(record['#text'] ?? record._text ?? record._cdata ?? record.$t ?? record.value ?? record.name ?? record._ ?? '')
  }
  return ''
}

function listOf(value: unknown): unknown[] {
  return value === undefined || value === null ? [] : Array.isArray(value) ? value : [value]
}

/**
 * @extractus/feed-extractor 8: `extract(url)`. By default an entry has a title, a link, a
 * date and a description of 250 characters taken from the summary: no content, no author.
 * A program reads those with `getExtraEntryFields`, which the suite does.
 */
export const feedExtractorClient: ReaderClient = {
  name: '@extractus/feed-extractor 8 (npm)',
  revalidates: false,
  shows: () => ({ thumbnail: true, icon: false, categories: true }),
  setup: 'extract(url, { getExtraEntryFields }) reading content, authors, categories, thumbnail',
  async read(url) {
    try {
      const feed = await extract(url, {
        getExtraEntryFields: (entry: Record<string, unknown>): ExtraFields => {
          const thumbnail = listOf(entry['media:thumbnail'])[0] as Record<string, string> | undefined
          return {
            content: textOf(entry['content:encoded'] ?? entry.content ?? entry.content_html),
            authors: [...listOf(entry['dc:creator']).map(textOf), ...listOf(entry.author ?? entry.authors).map((author) => (author && typeof author === 'object' ? textOf((author as Record<string, unknown>).name) : textOf(author)))].filter((name) => name !== ''),
            thumbnail: thumbnail?.['@_url'] ?? (typeof entry.image === 'string' ? entry.image : undefined),
            categories: [...listOf(entry.category).map((category) => (category && typeof category === 'object' && '@_term' in category ? String((category as Record<string, unknown>)['@_term']) : textOf(category))), ...listOf(entry.tags).map(textOf)],
          }
        },
      })
      await (await fetch(url)).arrayBuffer()
      const entries = (feed.entries ?? []) as Array<{ title?: string; link?: string; published?: string } & Partial<ExtraFields>>
      return {
        failure: entries.length === 0 ? 'no items' : undefined,
        icon: undefined,
        items: entries.map((entry) => ({
          title: textOf(entry.title),
          link: entry.link,
          date: isoOf(entry.published),
          authors: entry.authors ?? [],
          text: htmlToText(entry.content ?? ''),
          categories: entry.categories ?? [],
          thumbnail: entry.thumbnail,
        })),
      }
    } catch (error) {
      return failureOf(error)
    }
  },
}

/** feedsmith 3's `parseFeed`, on the fetched text: every field, by format. */
export const feedsmithClient: ReaderClient = {
  name: 'feedsmith 3 parseFeed (npm)',
  revalidates: false,
  shows: () => ({ thumbnail: true, icon: true, categories: true }),
  setup: 'parseFeed(await (await fetch(url)).text())',
  async read(url) {
    let parsed: ReturnType<typeof parseFeed>
    try {
      parsed = parseFeed(await fetchTwice(url))
    } catch (error) {
      return failureOf(error)
    }
    if (parsed.format === 'rss') {
      const items = parsed.feed.items ?? []
      return {
        failure: items.length === 0 ? 'no items' : undefined,
        icon: parsed.feed.image?.url,
        items: items.map((item) => ({
          title: item.title,
          link: item.link,
          date: isoOf(textOf(item.pubDate)),
          authors: [...(item.dc?.creators ?? []), ...(item.authors ?? []).map(textOf)],
          text: htmlToText(item.content?.encoded ?? item.description ?? ''),
          categories: (item.categories ?? []).map((category) => category.name ?? ''),
          thumbnail: item.media?.thumbnails?.[0]?.url ?? item.enclosures?.[0]?.url,
        })),
      }
    }
    if (parsed.format === 'atom') {
      const entries = parsed.feed.entries ?? []
      return {
        failure: entries.length === 0 ? 'no items' : undefined,
        icon: parsed.feed.icon,
        items: entries.map((entry) => ({
          title: textOf(entry.title),
          link: entry.links?.find((link) => (link.rel ?? 'alternate') === 'alternate')?.href,
          date: isoOf(textOf(entry.published ?? entry.updated)),
          authors: (entry.authors ?? []).map((author) => author.name ?? ''),
          text: htmlToText(textOf(entry.content ?? entry.summary)),
          categories: (entry.categories ?? []).map((category) => category.term ?? ''),
          thumbnail: entry.media?.thumbnails?.[0]?.url,
        })),
      }
    }
    if (parsed.format === 'json') {
      const items = parsed.feed.items ?? []
      return {
        failure: items.length === 0 ? 'no items' : undefined,
        icon: parsed.feed.icon,
        items: items.map((item) => ({
          title: item.title,
          link: item.url,
          date: isoOf(textOf(item.date_published)),
          authors: (item.authors ?? []).map((author) => author.name ?? ''),
          text: htmlToText(item.content_html ?? item.content_text ?? ''),
          categories: item.tags ?? [],
          thumbnail: item.image,
        })),
      }
    }
    return { failure: `read as ${parsed.format}`, items: [], icon: undefined }
  },
}

/** Every reader of the suite, in the table's order. */
export const readerClients: ReaderClient[] = [feedparserClient, rss2emailClient(false), rss2emailClient(true), newsboatClient, sfeedClient, rssParserClient, feedExtractorClient, feedsmithClient]

/** Whether a client's Debian program is installed. */
export function isInstalled(client: ReaderClient): boolean {
  return client.program === undefined || existsSync(client.program)
}
