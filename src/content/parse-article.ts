import path from 'node:path'
import { splitHead } from './article-body.js'
import matter from 'gray-matter'
import yaml from 'js-yaml'
import type { Config } from '../config.js'
import type { Problem } from './format-problem.js'
import { describeIssue, formatIssuePath } from './format-problem.js'
import { findFrontMatterLine } from './front-matter-lines.js'
import { frontMatterSchema, type ImageCredit, type Person, type Source } from './front-matter-schema.js'
import { slugifyName } from './slugify-name.js'
import { stripInvalidXmlChars } from './xml-chars.js'

/** A tag with its display name (as first written) and its URL key. */
export interface Tag {
  name: string
  slug: string
}

/** An author with the URL key of their topic feed. */
export interface Author extends Person {
  slug: string
}

/** A validated article, ready to be rendered and indexed. */
export interface Article {
  /** Path relative to the content folder, with `/` separators. */
  file: string
  slug: string
  /** The permanent id from the front matter; without one, the article's URL is its id. */
  id: string | undefined
  /** Earlier slugs, whose addresses redirect to the article. */
  aliases: string[]
  title: string
  date: Date
  updated: Date | undefined
  authors: Author[]
  /** The editor's summary; when absent one is derived from the body at render time. */
  summary: string | undefined
  lang: string
  tags: Tag[]
  image: ImageCredit | undefined
  sources: Source[]
  draft: boolean
  /**
   * The Markdown body, without front matter, as written (the renderer removes characters
   * XML forbids); `undefined` when only the front matter was read, and then
   * `readArticleBody` reads it from `sourcePath` when a render needs it.
   */
  body: string | undefined
  /** 1-based line of the file on which the body starts, to report body problems. */
  bodyLine: number
  /**
   * When the file last changed on disk, if read from one: an edit without `updated:`
   * (a typo fix) still changes the feeds, so `Last-Modified` must move too.
   */
  fileModified?: Date | undefined
  /** Size in bytes of the file it was read from, to tell whether it changed since. */
  fileSize?: number | undefined
  /** Absolute path of the file, when the article was read from one. */
  sourcePath?: string | undefined
}

/** The file an article's text came from. */
export interface ArticleSource {
  /** Absolute path, from which `readArticleBody` reads the body later. */
  path?: string | undefined
  modified?: Date | undefined
  size?: number | undefined
  /** The text given ends with the front matter: the body stays on disk. */
  headOnly?: boolean | undefined
}

/** Either a valid article or every problem found in the file. */
export type ParseResult = { ok: true; article: Article } | { ok: false; problems: Problem[] }

/** Site defaults an article inherits. */
export type ArticleDefaults = Pick<Config['site'], 'language' | 'author'>

// The core schema keeps `date: 2026-11-26T10:00:00+01:00` a string, so the schema can
// insist on a time zone; the default schema would turn it into a Date and lose that.
// YAML escapes ("\u0001", "\x0B") decode to characters the raw-text pass never saw, so the
// parsed values are cleaned again.
const matterOptions = {
  engines: {
    yaml: (source: string) => {
      const data = yaml.load(source, { schema: yaml.CORE_SCHEMA })
      // Only an escape (always after a backslash) can make a character the text did not have.
      return (source.includes('\\') ? stripFromStrings(data) : data) as object
    },
  },
}

function stripFromStrings(value: unknown): unknown {
  if (typeof value === 'string') return stripInvalidXmlChars(value)
  if (Array.isArray(value)) return value.map(stripFromStrings)
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, item]) => [stripInvalidXmlChars(key), stripFromStrings(item)]))
  return value
}

/**
 * Parse and validate one article file.
 *
 * @param file path relative to the content folder (`/` separators), used in messages and for the default slug
 * @param text the file's contents
 * @param defaults site settings an article inherits (language, author)
 * @param source where the text was read from; with `headOnly`, `text` ends with the front matter
 */
export function parseArticle(file: string, text: string, defaults: ArticleDefaults, source: ArticleSource = {}): ParseResult {
  // Only the front matter is cleaned here; the body is cleaned when it is rendered, so
  // start-up does not scan every article's text.
  const split = splitHead(text)
  const head = stripInvalidXmlChars(split.head)
  const rest = split.rest
  let parsed: matter.GrayMatterFile<string>
  try {
    parsed = matter(head, matterOptions)
  } catch (error) {
    const mark = (error as { mark?: { line?: number } }).mark
    const reason = (error as { reason?: string }).reason ?? (error as Error).message
    return {
      ok: false,
      // The YAML text starts right after the opening `---`, on the file's first line.
      problems: [{ file, ...(mark?.line === undefined ? {} : { line: mark.line + 1 }), field: 'front matter', message: `invalid YAML: ${reason}` }],
    }
  }
  // gray-matter's `matter` starts right after the opening `---`, so its line 1 is the file's line 1.
  const frontMatterLine = 2
  if (typeof parsed.data !== 'object' || parsed.data === null || Array.isArray(parsed.data)) {
    return { ok: false, problems: [{ file, line: frontMatterLine, field: 'front matter', message: 'expected a YAML mapping of fields' }] }
  }
  // The body starts on the line after the closing `---`, in both ways of reading it
  // (see `readArticleBody`); a closing line such as `----` is all delimiter.
  const body = rest
  const result = frontMatterSchema.safeParse(parsed.data, { reportInput: true })
  if (!result.success) {
    return {
      ok: false,
      problems: result.error.issues.map((issue) => {
        // An unknown field's issue points at its parent; the key itself is the line to fix.
        const at = issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined ? [...issue.path, issue.keys[0]] : issue.path
        const line = findFrontMatterLine(parsed.matter, at)
        return {
          file,
          ...(line === undefined ? {} : { line }),
          field: formatIssuePath(issue.path),
          message: describeIssue(issue),
        }
      }),
    }
  }
  const data = result.data
  const slug = data.slug ?? slugifyName(path.posix.basename(file, path.posix.extname(file)))
  if (slug === '') {
    return { ok: false, problems: [{ file, field: 'slug', message: 'the file name gives an empty slug; set `slug:` explicitly' }] }
  }
  const people = data.author === undefined ? [defaults.author] : Array.isArray(data.author) ? data.author : [data.author]
  // The body is the tail of the file: count the line breaks before it rather than split both.
  const bodyLine = countLineBreaks(text, text.length - rest.length) + 1
  return {
    ok: true,
    article: {
      file,
      slug,
      id: data.id,
      aliases: data.aliases.filter((alias) => alias !== slug),
      title: data.title,
      date: new Date(data.date),
      updated: data.updated === undefined ? undefined : new Date(data.updated),
      authors: uniqueAuthors(people),
      summary: data.summary,
      lang: data.lang ?? defaults.language,
      tags: uniqueTags(data.tags),
      image: data.image,
      sources: data.sources,
      draft: data.draft,
      body: source.headOnly ? undefined : body,
      bodyLine,
      fileModified: source.modified,
      fileSize: source.size,
      sourcePath: source.path,
    },
  }
}

// An author named twice ("Ann Lee", "ann lee") would list the article twice in their feed.
function uniqueAuthors(people: Person[]): Author[] {
  const authors = new Map<string, Author>()
  for (const person of people) {
    const slug = slugifyName(person.name)
    if (!authors.has(slug)) authors.set(slug, { ...person, slug })
  }
  return [...authors.values()]
}

function uniqueTags(names: string[]): Tag[] {
  const tags = new Map<string, Tag>()
  for (const name of names) {
    const slug = slugifyName(name)
    if (slug !== '' && !tags.has(slug)) tags.set(slug, { name, slug })
  }
  return [...tags.values()]
}

function countLineBreaks(text: string, end: number): number {
  let count = 0
  for (let index = text.indexOf('\n'); index !== -1 && index < end; index = text.indexOf('\n', index + 1)) count++
  return count
}

export { readArticleBody } from './article-body.js'
