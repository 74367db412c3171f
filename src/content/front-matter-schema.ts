import { z } from 'zod'
import { httpUrl, languageTag, nonEmpty, personObject, topicName } from '../shared-schema.js'

/**
 * RFC 3339 date-time with an explicit offset: a feed must say *when*, and a date
 * without a zone means a different instant on every machine that reads it.
 */
const dateTime = z.iso.datetime({
  offset: true,
  error: 'expected an ISO 8601 date with time zone such as "2026-11-26T09:30:00+01:00"',
})

/** An author written either as a bare name or as `{ name, url, email }`. */
const person = z.union([topicName.transform((name) => ({ name })), personObject], {
  error: 'expected a name or { name, url, email }',
})

/**
 * The EBU roles that fit a picture credit. Media RSS readers and the W3C validator accept
 * only lowercase EBU role names in `media:credit/@role`.
 */
export const creditRoles = ['photographer', 'illustrator', 'graphic designer', 'artist', 'author', 'distribution company', 'publishing company', 'production company', 'manufacturer'] as const

/** A picture and who must be credited for it. */
export const imageSchema = z.strictObject({
  /** Path relative to the article file, or an absolute http(s) URL. */
  src: nonEmpty.refine((value) => !/^[a-z][a-z0-9+.-]*:/i.test(value) || /^https?:/i.test(value), 'expected a path relative to the article file or an http(s) URL'),
  alt: nonEmpty,
  /** Who made or supplied the picture, as it must be shown ("Christian Wiediger via Unsplash"). */
  credit: nonEmpty,
  /** The copyright notice, as it must be shown ("© Shutterstock"). */
  copyright: nonEmpty.optional(),
  /** URL of the licence the picture is used under. */
  license: httpUrl.optional(),
  /** What the credited party did, as a Media RSS (EBU) role; pictures default to `photographer`. */
  role: z.enum(creditRoles, { error: `expected one of ${creditRoles.map((role) => `"${role}"`).join(', ')}` }).default('photographer'),
})

/** A publication this article relies on. */
export const sourceSchema = z.strictObject({
  name: nonEmpty,
  url: httpUrl,
})

const slugSchema = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'expected lowercase letters, digits and single hyphens, such as "amazon-ratatouille"')

/**
 * A permanent id: an absolute URI that never changes, such as the `urn:uuid:` that
 * `creditline new` writes. It is the RSS guid, the Atom id and the JSON Feed id, so that a
 * renamed or moved file is still the same article to every reader.
 */
const articleId = z
  .string()
  .max(200, 'expected at most 200 characters')
  .regex(/^[a-z][a-z0-9+.-]*:[^\s<>"{}|\\^`]+$/i, 'expected an absolute URI that will never change, such as "urn:uuid:4a6d…" (creditline new writes one)')

/** The front matter of an article, as the editor writes it. */
export const frontMatterSchema = z
  .strictObject({
    id: articleId.optional(),
    title: nonEmpty,
    date: dateTime,
    updated: dateTime.optional(),
    author: z.union([person, z.array(person).min(1, 'expected at least one author')], { error: 'expected a name, { name, url, email } or a list of them' }).optional(),
    summary: nonEmpty.optional(),
    lang: languageTag.optional(),
    tags: z.array(topicName).default([]),
    image: imageSchema.optional(),
    sources: z.array(sourceSchema).default([]),
    draft: z.boolean().default(false),
    slug: slugSchema.optional(),
    /** Earlier slugs of the article: their addresses redirect to its page. */
    aliases: z.array(slugSchema).default([]),
  })
  .superRefine((data, context) => {
    // A last change before publication is a typo; feeds would show the article as changed before it existed.
    if (data.updated !== undefined && Date.parse(data.updated) < Date.parse(data.date)) {
      context.addIssue({ code: 'custom', path: ['updated'], input: data.updated, message: `expected the time of the last change, not before date: (${data.date})` })
    }
  })

/** The fields a mapping of the front matter may have, by its path without list indexes (`''`, `image`, `sources`). */
export const knownFields: Readonly<Record<string, readonly string[]>> = {
  '': Object.keys(frontMatterSchema.shape),
  image: Object.keys(imageSchema.shape),
  sources: Object.keys(sourceSchema.shape),
  author: Object.keys(personObject.shape),
}

/** A line an editor can copy for each required field, by its path without list indexes. */
export const requiredFieldExamples: Readonly<Record<string, string>> = {
  title: 'title: Amazon ouvre un entrepôt à Lyon',
  date: 'date: 2026-11-26T09:30:00+01:00',
  'image.src': 'src: images/lead.jpg',
  'image.alt': 'alt: What the picture shows',
  'image.credit': 'credit: Christian Wiediger via Unsplash',
  'sources.name': 'name: Bloomberg',
  'sources.url': 'url: https://www.bloomberg.com/',
  'author.name': 'name: Ada Martin',
}

/** A credited picture. */
export type ImageCredit = z.infer<typeof imageSchema>
/** A cited publication. */
export type Source = z.infer<typeof sourceSchema>
/** A person credited as author. */
export type Person = z.infer<typeof personObject>
