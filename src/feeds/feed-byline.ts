import { h } from 'hastscript'
import { toHtml } from 'hast-util-to-html'
import type { Person } from '../content/front-matter-schema.js'
import { labelsFor } from '../labels.js'

/**
 * The line that opens an item's content: "Par Ada Martin, Samir Haddad". Readers that
 * keep one author of the metadata (the first or the last), or none (rss2email's mail,
 * feed-extractor), still show every name this way.
 */
export function toBylineHtml(authors: ReadonlyArray<Pick<Person, 'name'>>, lang: string): string {
  return toHtml(h('p', { className: ['byline'] }, `${labelsFor(lang).by} ${joinAuthorNames(authors)}`))
}

/** Every author's name in one string, in order: RSS has one `dc:creator` that every reader shows whole. */
export function joinAuthorNames(authors: ReadonlyArray<Pick<Person, 'name'>>): string {
  return authors.map((author) => author.name).join(', ')
}
