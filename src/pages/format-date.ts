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
