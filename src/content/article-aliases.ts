import type { Catalog } from './catalog.js'
import type { Problem } from './format-problem.js'
import type { LineOf } from './read-front-matter-line.js'

// Derived from a catalog version when an address is first looked up, not at each edit.
const aliasMaps = new WeakMap<Catalog, Map<string, string>>()

/**
 * The earlier addresses (`aliases:`) of the published articles, each with the slug it
 * moved to. A slug an article is published under is never an alias, and when two
 * articles claim one alias, the file whose path sorts first keeps it (as for slugs).
 */
export function listAliases(catalog: Catalog): ReadonlyMap<string, string> {
  let aliases = aliasMaps.get(catalog)
  if (!aliases) {
    aliases = new Map()
    for (const article of [...catalog.articles].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))) {
      for (const alias of article.aliases) if (!catalog.bySlug.has(alias) && !aliases.has(alias)) aliases.set(alias, article.slug)
    }
    aliasMaps.set(catalog, aliases)
  }
  return aliases
}

/**
 * Aliases that cannot redirect: another article is published there, or an earlier file
 * claims it. Both files are named, with the lines of the slug or alias they claim it by.
 *
 * @param lineOf the line of a front-matter key in a file, when known
 */
export function findAliasClashes(catalog: Catalog, lineOf: LineOf): Problem[] {
  const aliases = listAliases(catalog)
  const problems: Problem[] = []
  for (const article of catalog.articles) {
    article.aliases.forEach((alias, index) => {
      const published = catalog.bySlug.get(alias)
      const owner = published ?? catalog.bySlug.get(aliases.get(alias) ?? '')
      if (owner === undefined || owner === article) return
      const ownerLine = lineOf(owner.file, published ? ['slug'] : ['aliases', owner.aliases.indexOf(alias)])
      const where = ownerLine === undefined ? owner.file : `${owner.file}:${ownerLine}`
      const why = published ? `${where} is published there` : `${where} claims it first`
      const line = lineOf(article.file, ['aliases', index])
      problems.push({ file: article.file, ...(line === undefined ? {} : { line }), field: `aliases[${index}]`, message: `"${alias}" does not redirect here: ${why}` })
    })
  }
  return problems
}
