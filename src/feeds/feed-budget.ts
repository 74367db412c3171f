/**
 * The byte budget of a feed document (`feed.maxBytes`). A document that would be larger
 * sends some items with their summary and a line linking to the article's page instead of
 * their full text: the newest items keep their text first. Pages always keep everything.
 *
 * Written by hand because no feed library bounds a document's size. Sizes are measured on
 * the writer's own bytes, never estimated from the HTML, so the budget holds for every
 * format, and the same content always gives the same choice (and the same bytes).
 */

import { h } from 'hastscript'
import { toHtml } from 'hast-util-to-html'
import { labelsFor } from '../labels.js'
import { toBylineHtml } from './feed-byline.js'
import type { FeedDocument, FeedItem } from './feed-model.js'

// One shortened item per full item, so the writers' per-item caches hit for it too.
const shortened = new WeakMap<FeedItem, FeedItem>()

/**
 * The item with its summary for text, and a sentence in the article's language that
 * links to its page; its metadata (credits, sources, authors, tags) is kept whole.
 */
export function shortenFeedItem(item: FeedItem): FeedItem {
  let short = shortened.get(item)
  if (!short) {
    const labels = labelsFor(item.lang)
    const notice = h('p', { className: ['feed-budget'] }, [`${labels.tooLongForFeed}${labels.colon}`, h('a', { href: item.url }, labels.readInFull), '.'])
    short = { ...item, contentHtml: `${toBylineHtml(item.authors, item.lang)}\n${toHtml([h('p', item.summary), notice])}` }
    shortened.set(item, short)
  }
  return short
}

/**
 * `write(document)`, within `maxBytes`: when the whole document is larger, items are
 * shortened (see `shortenFeedItem`), newest kept whole first, each only if its full text
 * does not fit beside the others. When even every item shortened is too large, the
 * document holds its newest items that fit, and leaves the older ones out (they stay on
 * their pages and in the lists); a document always holds its newest item.
 */
export function fitFeedBudget(document: FeedDocument, write: (document: FeedDocument) => Buffer, maxBytes: number): Buffer {
  const whole = write(document)
  if (whole.length <= maxBytes) return whole
  const writeItems = (items: FeedItem[]) => write({ ...document, items })
  const short = document.items.map(shortenFeedItem)
  const kept = countFitting(short.length, (count) => writeItems(short.slice(0, count)).length <= maxBytes)
  const chosen = short.slice(0, kept)
  let total = writeItems(chosen).length
  // What keeping each item's text costs, measured alone in a document of this format.
  for (let index = 0; index < kept; index++) {
    const item = document.items[index]!
    const extra = writeItems([item]).length - writeItems([chosen[index]!]).length
    if (total + extra > maxBytes) continue
    chosen[index] = item
    total += extra
  }
  // Measured alone, an item's cost counts the namespaces it declares, which others may
  // already declare: the sum is never below the real size. Should a writer ever disagree,
  // the oldest item kept whole is shortened until the document fits.
  for (;;) {
    const body = writeItems(chosen)
    if (body.length <= maxBytes) return body
    const last = chosen.findLastIndex((item, index) => item !== short[index])
    if (last === -1) return body
    chosen[last] = short[last]!
  }
}

/** The largest count in [1, total] for which `fits` holds (it holds for every smaller one), or 1. */
function countFitting(total: number, fits: (count: number) => boolean): number {
  let low = 1
  let high = total
  while (low < high) {
    const middle = Math.ceil((low + high) / 2)
    if (fits(middle)) low = middle
    else high = middle - 1
  }
  return low
}
