import slugify from 'slugify'

/**
 * URL-safe, case- and accent-insensitive key for a tag, an author or a file name:
 * `É-commerce` and `e-commerce` give `e-commerce`. Names in scripts that have no
 * Latin transliteration (`日本`) keep their letters, lowercased, so they still get a
 * page; URLs percent-encode them (see `topicPath`).
 */
export function slugifyName(name: string): string {
  // Tags and authors repeat across thousands of articles: slugify each name once.
  let slug = slugs.get(name)
  if (slug === undefined) {
    slug = computeSlug(name)
    if (slugs.size > 100_000) slugs.clear()
    slugs.set(name, slug)
  }
  return slug
}

const slugs = new Map<string, string>()

function computeSlug(name: string): string {
  // slugify transliterates Latin, Greek and Cyrillic letters and drops the rest, so a
  // name with letters of another script would lose them ("日本 2026" → "2026").
  const latin = slugify(name, { lower: true, strict: true, trim: true })
  if (latin !== '' && !untransliterated.test(name)) return latin
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
}

const untransliterated = /[^\P{L}\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}]/u

/** URL path of a tag's or an author's page (and the prefix of their feeds). */
export function topicPath(kind: 'tag' | 'author', slug: string): string {
  return `/${kind === 'tag' ? 'tags' : 'authors'}/${encodeURIComponent(slug)}`
}

/** URL path of an article page. */
export function articlePath(slug: string): string {
  return `/articles/${encodeURIComponent(slug)}`
}
