import { createHash } from 'node:crypto'
import type { Catalog } from '../content/catalog.js'
import type { Problem } from '../content/format-problem.js'
import type { Article } from '../content/parse-article.js'
import type { LineOf } from '../content/read-front-matter-line.js'

/**
 * Published articles without an `id:`. Their id in every feed is their address, which a
 * new slug or file name changes, and readers then show them again as new. A warning
 * only: they are published as they always were, with the id they always had, and `check`
 * still passes. The message gives a line to paste (drafts get one from `creditline new`).
 */
export function findMissingIds(catalog: Pick<Catalog, 'articles'>, baseUrl: string): Problem[] {
  const problems: Problem[] = []
  for (const article of catalog.articles) {
    if (article.id !== undefined) continue
    let known = missingIds.get(article)
    if (known?.baseUrl !== baseUrl) {
      known = {
        baseUrl,
        problem: {
          file: article.file,
          // The opening `---`: the id goes on the line below it.
          line: 1,
          field: 'id',
          message: `missing: readers would show the article again after a change of slug or file name; add the line "id: ${suggestArticleId(baseUrl, article)}"`,
          severity: 'warning',
        },
      }
      missingIds.set(article, known)
    }
    problems.push(known.problem)
  }
  return problems
}

// Per article version: the list is made again at each edit, and a site that predates ids
// has a warning for every article.
const missingIds = new WeakMap<Article, { baseUrl: string; problem: Problem }>()

/**
 * Articles whose `id:` an earlier file (by path) already has: feed readers would take
 * them for one article and show only one. Usually a copied file that kept its id.
 */
export function findDuplicateIds(articles: ReadonlyArray<Article>, lineOf: LineOf): Problem[] {
  const first = new Map<string, Article>()
  const problems: Problem[] = []
  for (const article of [...articles].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))) {
    if (article.id === undefined) continue
    const holder = first.get(article.id)
    if (!holder) {
      first.set(article.id, article)
      continue
    }
    const line = lineOf(article.file, ['id'])
    const holderLine = lineOf(holder.file, ['id'])
    const where = holderLine === undefined ? holder.file : `${holder.file}:${holderLine}`
    problems.push({
      file: article.file,
      ...(line === undefined ? {} : { line }),
      field: 'id',
      message: `"${article.id}" is already the id of ${where}; readers would show only one of the two, so give this one its own (creditline new writes one)`,
    })
  }
  return problems
}

// RFC 9562 name-based UUIDs (version 5) need a namespace: this one is Creditline's own.
const namespace = Buffer.from('5b1d7c3e2f0a4e6b9c8d1a2b3c4d5e6f', 'hex')

/**
 * A `urn:uuid:` for an article that has none: name-based on the site, the file and the
 * date, so that `check`, the log and `GET /status` suggest the same one, and two
 * articles never get the same. Written by hand because node:crypto makes only random
 * UUIDs, and the suggestion must not change each time the list is made.
 */
export function suggestArticleId(baseUrl: string, article: Pick<Article, 'file' | 'date'>): string {
  const bytes = createHash('sha1').update(namespace).update(`${baseUrl}\n${article.file}\n${article.date.toISOString()}`).digest().subarray(0, 16)
  bytes[6] = (bytes[6]! & 0x0f) | 0x50
  bytes[8] = (bytes[8]! & 0x3f) | 0x80
  const hex = bytes.toString('hex')
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
