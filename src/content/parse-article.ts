import path from 'node:path'
import yaml, { type EventType, type State } from 'js-yaml'
import type { Config } from '../config.js'
import { splitHead } from './split-head.js'
import type { Problem } from './format-problem.js'
import { AnchorRefusedError, describeSchemaIssues, describeYamlError } from './front-matter-problems.js'
import { frontMatterSchema, requiredFieldExamples, type ImageCredit, type Person, type Source } from './front-matter-schema.js'
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

/**
 * Parse and validate one article file.
 *
 * @param file path relative to the content folder (`/` separators), used in messages and for the default slug
 * @param text the file's contents
 * @param defaults site settings an article inherits (language, author)
 * @param source where the text was read from; with `headOnly`, `text` ends with the front matter
 */
export function parseArticle(file: string, text: string, defaults: ArticleDefaults, source: ArticleSource = {}): ParseResult {
  // A UTF-8 byte-order mark is allowed; decodeArticleText drops it, a caller's text may still have it.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  // Only the front matter is cleaned here; the body is cleaned when it is rendered, so
  // start-up does not scan every article's text.
  const split = splitHead(text)
  const shapeProblem = describeFileShape(text, split.closed)
  if (shapeProblem) return { ok: false, problems: [{ file, line: 1, ...shapeProblem }] }
  const head = stripInvalidXmlChars(split.head)
  // The YAML text starts right after the opening `---`, so its line 1 is the file's line 1.
  const matter = head.slice(3, head.indexOf('\n---', 3))
  let data: unknown
  try {
    // An empty front matter is an empty mapping: its problems are the missing fields.
    data = loadFrontMatter(matter) ?? {}
  } catch (error) {
    return { ok: false, problems: [describeYamlError(file, matter, error)] }
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { ok: false, problems: [{ file, line: 2, field: 'front matter', message: 'expected a YAML mapping of fields' }] }
  }
  // The body starts on the line after the closing `---`, in both ways of reading it
  // (see `readArticleBody`); a closing line such as `----` is all delimiter.
  const body = split.rest
  const result = frontMatterSchema.safeParse(data, { reportInput: true })
  if (!result.success) return { ok: false, problems: describeSchemaIssues(file, matter, result.error.issues) }
  const fields = result.data
  const slug = fields.slug ?? slugifyName(path.posix.basename(file, path.posix.extname(file)))
  if (slug === '') {
    return { ok: false, problems: [{ file, line: 1, field: 'slug', message: 'the file name gives an empty slug; set `slug:` explicitly' }] }
  }
  const people = fields.author === undefined ? [defaults.author] : Array.isArray(fields.author) ? fields.author : [fields.author]
  // The body is the tail of the file: count the line breaks before it rather than split both.
  const bodyLine = countLineBreaks(text, text.length - body.length) + 1
  return {
    ok: true,
    article: {
      file,
      slug,
      id: fields.id,
      aliases: fields.aliases.filter((alias) => alias !== slug),
      title: fields.title,
      date: new Date(fields.date),
      updated: fields.updated === undefined ? undefined : new Date(fields.updated),
      authors: uniqueAuthors(people),
      summary: fields.summary,
      lang: fields.lang ?? defaults.language,
      tags: uniqueTags(fields.tags),
      image: fields.image,
      sources: fields.sources,
      draft: fields.draft,
      body: source.headOnly ? undefined : body,
      bodyLine,
      fileModified: source.modified,
      fileSize: source.size,
      sourcePath: source.path,
    },
  }
}

const howArticlesStart = `an article starts with a line "---", then lines such as "${requiredFieldExamples.title}" and "${requiredFieldExamples.date}", then a line "---"`

/** What keeps a text from being an article before its YAML is read, if anything. */
function describeFileShape(text: string, closed: boolean): { field: string; message: string } | undefined {
  if (text === '') return { field: 'file', message: `empty; ${howArticlesStart}` }
  if (text.trim() === '') return { field: 'file', message: `only blank lines; ${howArticlesStart}` }
  if (!text.startsWith('---')) return { field: 'front matter', message: `missing; ${howArticlesStart}` }
  if (!closed) return { field: 'front matter', message: 'never closed; add a line "---" after the last field' }
  return undefined
}

// The core schema keeps `date: 2026-11-26T10:00:00+01:00` a string, so the schema can
// insist on a time zone; the default schema would turn it into a Date and lose that.
// YAML escapes ("\u0001", "\x0B") decode to characters the raw-text pass never saw, so the
// parsed values are cleaned again.
function loadFrontMatter(matter: string): unknown {
  const data = yaml.load(matter, { schema: yaml.CORE_SCHEMA, listener: refuseAnchors })
  // Only an escape (always after a backslash) can make a character the text did not have.
  return matter.includes('\\') ? stripFromStrings(data) : data
}

/**
 * js-yaml has no limit on aliases: 400 bytes of nested ones stand for billions of values
 * to whatever walks them (the schema, the cleaning above, an error message). The `yaml`
 * package has `maxAliasCount` but parses slower, and an article never needs an alias; so
 * js-yaml stays, and the first anchor is refused as soon as it is read, before any alias
 * can refer to it.
 */
function refuseAnchors(event: EventType, state: State): void {
  if (event === 'close' && (state as State & { anchor: string | null }).anchor !== null) throw new AnchorRefusedError()
}

function stripFromStrings(value: unknown): unknown {
  if (typeof value === 'string') return stripInvalidXmlChars(value)
  if (Array.isArray(value)) return value.map(stripFromStrings)
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, item]) => [stripInvalidXmlChars(key), stripFromStrings(item)]))
  return value
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

