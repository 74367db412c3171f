import { escapeNonAscii, joinIndex, parserVersion, readHead, type SavedIndex } from '../../src/content/front-matter-index-file.js'
import type { ArticleDetails } from '../../src/content/indexed-article.js'

// How tests look into an index file and write one, sound or damaged: the format's own
// reading and writing, in its logical form.

/**
 * The index in the logical form of `SavedIndex`, every article's details parsed: how
 * tests look into an index file. `undefined` when it is not one this code wrote.
 */
export function decodeIndex(text: string): SavedIndex | undefined {
  const read = readHead(text)
  if (!read) return undefined
  const { head, detailsStart } = read
  return {
    version: head.version,
    tags: head.tags,
    authors: head.authors,
    entries: head.entries.map(({ details: [at, length], ...entry }) => ({ ...entry, details: JSON.parse(text.slice(detailsStart + at, detailsStart + at + length)) as ArticleDetails })),
  }
}

/** An index file holding exactly `saved`: how tests write one, sound or damaged. */
export function encodeSavedIndex(saved: SavedIndex): string {
  return joinIndex(
    saved.version,
    saved.tags,
    saved.authors,
    saved.entries.map(({ details, ...entry }) => ({ entry, detailsText: escapeNonAscii(JSON.stringify(details)) })),
  )
}
