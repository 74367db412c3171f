import slugify from 'slugify'

/**
 * URL-safe, case- and accent-insensitive key for a tag, an author or a file name:
 * `É-commerce` and `e-commerce` give `e-commerce`.
 */
export function slugifyName(name: string): string {
  return slugify(name, { lower: true, strict: true, trim: true })
}
