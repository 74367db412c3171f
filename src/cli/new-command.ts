import { randomUUID } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { stringify } from 'yaml'
import { loadContent } from '../content/load-content.js'
import { slugifyName } from '../content/slugify-name.js'
import { CommandError, displayPath, loadCliConfig, UsageError, type CliIo } from './cli-io.js'

/** Usage of `new`, shown by `--help` and after a usage error. */
export const newUsage = `Usage: creditline new "<title>" [--publish]

Create <content dir>/<slug>.md with valid front matter: the title, the date now with
this machine's UTC offset, the site's default author and language, and draft: true
(the running server publishes it once you remove that line). Never overwrites a file.

  --publish   leave out draft: true
`

/**
 * `2026-11-26T10:30:00+01:00`: the date in the zone `offsetMinutes` east of UTC, to the
 * second. An editor reads the local time they wrote at, and the schema requires a zone.
 *
 * @param offsetMinutes minutes east of UTC (`-date.getTimezoneOffset()` for the machine's zone)
 */
export function formatDateTimeWithOffset(date: Date, offsetMinutes: number): string {
  const shifted = new Date(Math.floor(date.getTime() / 1000) * 1000 + offsetMinutes * 60_000)
  const sign = offsetMinutes < 0 ? '-' : '+'
  const absolute = Math.abs(offsetMinutes)
  const pad = (value: number) => String(value).padStart(2, '0')
  return `${shifted.toISOString().slice(0, 19)}${sign}${pad(Math.floor(absolute / 60))}:${pad(absolute % 60)}`
}

/** `creditline new "Title"`: a new article file, ready to write in. */
export async function runNew(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { publish: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
    strict: true,
  })
  if (values.help) {
    io.stdout.write(newUsage)
    return 0
  }
  if (positionals.length !== 1) throw new UsageError(`new takes one title (quote it), got ${positionals.length} arguments`)
  const title = positionals[0]!.trim()
  if (title === '') throw new UsageError('the title is empty')
  const slug = slugifyName(title)
  if (slug === '') throw new UsageError(`no slug can be made of the title ${JSON.stringify(title)}; use letters or digits`)
  const config = loadCliConfig(io)
  const file = `${slug}.md`
  const target = path.join(config.contentDir, file)

  // Another file may already claim this slug with `slug:`; the new article would then not be published.
  await mkdir(config.contentDir, { recursive: true })
  const { entries } = await loadContent(config.contentDir, { language: config.site.language, author: config.site.author })
  const clash = entries.find((entry) => entry.file !== file && entry.article?.slug === slug)
  if (clash) throw new CommandError(`the slug "${slug}" is already used by ${displayPath(io.cwd, path.join(config.contentDir, clash.file))}; choose another title`)

  const now = io.now?.() ?? new Date()
  const author = config.site.author
  const frontMatter = {
    // The article's id in every feed, whatever its file or slug becomes.
    id: `urn:uuid:${randomUUID()}`,
    title,
    date: formatDateTimeWithOffset(now, -now.getTimezoneOffset()),
    author: author.url === undefined && author.email === undefined ? author.name : author,
    lang: config.site.language,
    tags: [],
    ...(values.publish ? {} : { draft: true }),
  }
  const text = `---\n${stringify(frontMatter, { lineWidth: 0 })}---\n\nWrite the article here. Credit every picture in its title: \`![What it shows](images/picture.jpg "© Holder")\`.\n`
  try {
    // `wx` fails if the file exists, even if it appeared after the check above.
    await writeFile(target, text, { flag: 'wx' })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new CommandError(`${displayPath(io.cwd, target)} already exists; it was left as it is`)
    throw error
  }
  io.stdout.write(`${displayPath(io.cwd, target)}\n`)
  return 0
}
