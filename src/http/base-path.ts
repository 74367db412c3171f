/**
 * The part of a request URL below the site's base path (`/news/feed.xml` → `/feed.xml`,
 * `/news` → `/`), or `undefined` when the request is not for this site. With no base
 * path, the URL as it is.
 *
 * @param basePath `config.basePath`: `''`, or a path such as `/news` without a trailing slash
 */
export function stripBasePath(url: string, basePath: string): string | undefined {
  if (basePath === '') return url
  if (!url.startsWith(basePath)) return undefined
  const rest = url.slice(basePath.length)
  if (rest === '') return '/'
  if (rest.startsWith('?')) return `/${rest}`
  return rest.startsWith('/') ? rest : undefined
}
