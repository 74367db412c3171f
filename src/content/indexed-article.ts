import type { Article, Author, Tag } from './parse-article.js'

/** What identifies a version of a file: `fs.Stats` has all of it. */
export interface FileIdentity {
  size: number
  mtime: Date
  ctimeMs: number
  ino: number
}

/** What only a document showing the article reads: kept as text in the index until then. */
export type ArticleDetails = Pick<Article, 'title' | 'summary' | 'image' | 'sources'>

// What the catalog reads of every article at start-up (dates, slugs, topics).
export type ArticleFields = Pick<Article, 'slug' | 'id' | 'aliases' | 'date' | 'updated' | 'authors' | 'lang' | 'tags' | 'draft' | 'bodyLine'>

/**
 * An article from the index: what the catalog needs is at hand, the rest is parsed from
 * the saved text when first read.
 */
export class IndexedArticle implements Article {
  readonly body = undefined
  #details: ArticleDetails | undefined
  #detailsText: string | undefined

  constructor(
    readonly file: string,
    fields: ArticleFields,
    detailsText: string,
    identity: Pick<FileIdentity, 'mtime' | 'size'>,
    readonly sourcePath: string,
  ) {
    this.slug = fields.slug
    this.id = fields.id
    this.aliases = fields.aliases
    this.date = fields.date
    this.updated = fields.updated
    this.authors = fields.authors
    this.lang = fields.lang
    this.tags = fields.tags
    this.draft = fields.draft
    this.bodyLine = fields.bodyLine
    this.fileModified = identity.mtime
    this.fileSize = identity.size
    this.#detailsText = detailsText
  }

  readonly slug: string
  readonly id: string | undefined
  readonly aliases: string[]
  readonly date: Date
  readonly updated: Date | undefined
  readonly authors: Author[]
  readonly lang: string
  readonly tags: Tag[]
  readonly draft: boolean
  readonly bodyLine: number
  readonly fileModified: Date
  readonly fileSize: number

  get title(): string {
    return this.#read().title
  }

  get summary(): string | undefined {
    return this.#read().summary
  }

  get image(): Article['image'] {
    return this.#read().image
  }

  get sources(): Article['sources'] {
    return this.#read().sources
  }

  #read(): ArticleDetails {
    if (this.#details === undefined) {
      // Checked whole when the index was read (its CRC), so this parse does not fail.
      this.#details = JSON.parse(this.#detailsText!) as ArticleDetails
      this.#detailsText = undefined
    }
    return this.#details
  }
}
