import { z } from 'zod'
import { slugifyName } from './content/slugify-name.js'

// The zod pieces both the configuration file and an article's front matter are written
// with: the site's default author obeys the same rules as an article's.

/** An absolute http(s) URL. */
export const httpUrl = z.url({ protocol: /^https?$/, error: 'expected an absolute http(s) URL' })

/** A BCP 47 language tag, as front matter and the site settings write it. */
export const languageTag = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'expected a BCP 47 language tag such as "fr" or "en-GB"')

/** A string with something besides white space. */
export const nonEmpty = z.string().trim().min(1, 'expected a non-empty string')

/** A name that gets its own page and feed needs at least one letter or digit for its URL. */
export const topicName = nonEmpty.refine((name) => slugifyName(name) !== '', 'expected at least one letter or digit, to make its URL')

/** A person as `{ name, url, email }`: the site's default author, or an article's. */
export const personObject = z.strictObject({
  name: topicName,
  url: httpUrl.optional(),
  email: z.email({ error: 'expected an e-mail address' }).optional(),
})

