import type { Problem } from './format-problem.js'
import type { Article } from './parse-article.js'

// The shapes of the catalog, shared by its full build (build-catalog.ts), its incremental
// update (catalog-edit.ts) and everything that reads it.

/** Articles that share a tag or an author, newest first. */
export interface Topic {
  kind: 'tag' | 'author'
  slug: string
  name: string
  articles: Article[]
}

/** A file of the content folder served as-is (pictures). */
export interface MediaFile {
  /** Path relative to the content folder, `/` separators. */
  path: string
  /** Absolute path on disk. */
  absolutePath: string
  /** Modification time, for `Last-Modified`. */
  mtime: Date
  size: number
}

/** An immutable snapshot of everything published; swapped whole when content changes. */
export interface Catalog {
  /** Changes whenever anything that can reach a response changes. */
  version: string
  /** Published articles, newest first (ties broken by slug, so order is stable). */
  articles: Article[]
  bySlug: SlugLookup
  /** Topics by slug, in no particular order. */
  tags: Map<string, Topic>
  authors: Map<string, Topic>
  media: Map<string, MediaFile>
  /** The problems of the files as read (each file's own), in file order. */
  problems: Problem[]
  /** The earliest date of a scheduled (future) article, when the catalog must be rebuilt. */
  nextScheduled: Date | undefined
  /**
   * When an article last left the published set (removed, made a draft, given another
   * slug) while this process ran: the feeds and pages that listed it changed, though none
   * of the articles they still hold did, so their `Last-Modified` moves to it.
   */
  retiredAt: Date | undefined
}

/** Published articles by slug: a `Map`, or after an edit the previous catalog's with the edited ones in place. */
export interface SlugLookup extends Iterable<[string, Article]> {
  get(slug: string): Article | undefined
  has(slug: string): boolean
  readonly size: number
  keys(): Iterable<string>
}

/** One Markdown file's latest outcome: the article to publish (possibly an older good version) and its problems. */
export interface ContentEntry {
  file: string
  article: Article | undefined
  problems: Problem[]
  /** Size and modification time of the version of the file read, when it could be read. */
  read?: { size: number; mtimeMs: number } | undefined
}

/** Newest first by publication date, then by slug, so equal dates still sort the same way every time. */
export function compareNewestFirst(a: Article, b: Article): number {
  return b.date.getTime() - a.date.getTime() || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0)
}
