// Every date rule in one place: what date an article shows and when it last changed
// (feeds, pages, headers), how pages write a date, and how HTTP headers write one.

/** The dates of an article (`Article`), as written in its front matter and read from its file. */
export interface ArticleDates {
  date: Date
  updated: Date | undefined
  fileModified?: Date | undefined
}

/** Date a reader should consider the article last changed. */
export function lastChanged(article: ArticleDates): Date {
  return article.updated && article.updated > article.date ? article.updated : article.date
}

/**
 * `Last-Modified` of a document made of these articles: their newest date or file
 * change. Headers may follow the disk; the bytes follow only the articles' dates.
 */
export function lastModifiedOf(articles: Iterable<ArticleDates>): Date | undefined {
  let newest: Date | undefined
  for (const article of articles) {
    const changed = lastChanged(article)
    const modified = article.fileModified && article.fileModified > changed ? article.fileModified : changed
    if (!newest || modified > newest) newest = modified
  }
  return newest
}

/** The newest change among articles: a feed's `updated`, never the time of the request. */
export function newestChange(articles: Iterable<ArticleDates>): Date | undefined {
  let newest: Date | undefined
  for (const article of articles) {
    const changed = lastChanged(article)
    if (!newest || changed > newest) newest = changed
  }
  return newest
}

/**
 * A `Last-Modified` value: never later than now, since a server must not send one later
 * than its `Date` (RFC 9110 §8.8.2.1). A future `updated:` or a file stamped by a clock
 * ahead would otherwise make `If-Modified-Since` clients miss every change until that date.
 * The value is made when the response is, so it stays at or before every later `Date`.
 */
export function toLastModified(date: Date, now = new Date()): string {
  return toHttpDate(notAfter(date, now))
}

/** `date`, or `now` if `date` is later (see `toLastModified`). */
export function notAfter(date: Date, now = new Date()): Date {
  return date > now ? now : date
}

/** IMF-fixdate, second precision, as HTTP requires. */
export function toHttpDate(date: Date): string {
  return new Date(Math.floor(date.getTime() / 1000) * 1000).toUTCString()
}

/**
 * Format a date for readers of `lang`, in the site's time zone, followed by that zone's
 * short name (`UTC`, `UTC+1`): the page says which clock it means, and is the same on
 * every server whatever the machine's own zone.
 *
 * @param timeZone an IANA time zone (`site.timeZone`), validated with the configuration
 */
export function formatDate(date: Date, lang: string, timeZone = 'UTC'): string {
  // Building a DateTimeFormat costs far more than formatting with one: keep them.
  const key = `${lang} ${timeZone}`
  let formats = dateFormats.get(key)
  if (!formats) {
    formats = {
      date: new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeStyle: 'short', timeZone }),
      zone: new Intl.DateTimeFormat(lang, { timeZone, timeZoneName: 'short' }),
    }
    dateFormats.set(key, formats)
  }
  const zone = formats.zone.formatToParts(date).find((part) => part.type === 'timeZoneName')?.value ?? timeZone
  return `${formats.date.format(date)} ${zone}`
}

const dateFormats = new Map<string, { date: Intl.DateTimeFormat; zone: Intl.DateTimeFormat }>()

/** Whether `Intl` knows a time zone by this name (`Europe/Paris`, `UTC`). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name })
    return true
  } catch {
    return false
  }
}
