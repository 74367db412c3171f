/**
 * A request path as the site resolves it: percent-decoded, without `.` and `..` segments
 * or empty ones (`//`), so that every spelling of one URL is one URL;
 * `undefined` for a malformed escape.
 */
export function normalizePath(rawPath: string): string | undefined {
  const segments: string[] = []
  for (const raw of rawPath.split('/')) {
    let segment: string
    try {
      segment = decodeURIComponent(raw)
    } catch {
      return undefined
    }
    if (segment === '..') segments.pop()
    else if (segment !== '' && segment !== '.') segments.push(segment)
  }
  return `/${segments.join('/')}`
}
