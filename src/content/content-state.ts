import type { Logger } from '../logger.js'
import { buildCatalog } from './build-catalog.js'
import type { Catalog, ContentEntry, MediaFile } from './catalog.js'
import type { ChangeBatch, ChangeKind, ReadFiles } from './change-queue.js'
import { isSymbolicLink, linkProblem } from './content-jail.js'
import { formatProblem, type Problem } from './format-problem.js'
import { loadMediaFile, type LoadedContent } from './load-content.js'
import type { ArticleDefaults } from './parse-article.js'
import { readSettledArticle } from './read-settled-article.js'

/** Options of `ContentState`: how the files of a batch are read. */
export interface ContentStateOptions {
  contentDir: string
  defaults: ArticleDefaults
  logger: Logger
  /** Largest article file read, in bytes; larger ones are a problem. */
  maxFileBytes?: number | undefined
}

/**
 * The latest outcome of every file of a content folder, as a batch of changed paths
 * updates it, and the catalog built from it. No watching and no timers: what changes
 * when is the change queue's job, and when to swap the catalog the store's.
 *
 * A bad edit keeps the last good version of its article, with the problem; a deleted file leaves.
 */
export class ContentState {
  readonly #options: ContentStateOptions
  readonly #entries = new Map<string, ContentEntry>()
  readonly #media = new Map<string, MediaFile>()
  // Files held in #entries only to report that they are symbolic links (never published).
  readonly #links = new Set<string>()
  // A file was added since the entries were last put in file order.
  #unsorted = true

  /** Start from a loaded folder (see `loadContent`). */
  constructor(options: ContentStateOptions, loaded: Pick<LoadedContent, 'entries' | 'media' | 'links'>) {
    this.#options = options
    for (const entry of loaded.entries) this.#entries.set(entry.file, entry)
    for (const entry of loaded.links) this.#addLink(entry)
    // loadContent gives them in file order already: sorting and re-inserting ten thousand took 6 to 11 ms.
    this.#unsorted = loaded.links.length > 0
    for (const [key, file] of loaded.media) this.#media.set(key, file)
  }

  /** Every article file's latest outcome, drafts and scheduled articles included, in file order once a catalog is built. */
  get entries(): Iterable<ContentEntry> {
    return this.#entries.values()
  }

  /** What was read, for the change queue's rescans. */
  get read(): ReadFiles {
    return { articles: this.#entries, media: this.#media, links: this.#links }
  }

  /** Read every path of a batch again; a path that fails to load is that file's problem, and the rest still apply. */
  async apply(batch: ChangeBatch): Promise<void> {
    await Promise.all(batch.map(([file, kind]) => this.#reload(file, kind).catch((error: unknown) => this.#recordFailure(file, kind, error))))
  }

  /**
   * The catalog of the files as they are now.
   *
   * @param previous the catalog before `changed`
   * @param changed the files that changed since `previous`, with whether all are articles: then the catalog is built from what they changed
   */
  toCatalog(now: Date, previous?: Catalog, changed?: { files: string[]; onlyArticles: boolean }): Catalog {
    if (this.#unsorted) {
      // buildCatalog wants entries in file order, and then does not sort them at each edit.
      const sorted = [...this.#entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      this.#entries.clear()
      for (const [file, entry] of sorted) this.#entries.set(file, entry)
      this.#unsorted = false
    }
    const edited = changed?.onlyArticles && previous ? new Map(changed.files.map((file) => [file, this.#entries.get(file)])) : undefined
    return buildCatalog(this.#entries.values(), new Map(this.#media), now, previous, edited)
  }

  /**
   * Read one changed path again. A symbolic link, whatever it points to, is never
   * published: it is held as a problem until it is gone (see `openContentFile`, which
   * also refuses a file swapped for a link after this).
   */
  async #reload(file: string, kind: ChangeKind): Promise<void> {
    const { contentDir, logger } = this.#options
    if (isSymbolicLink(contentDir, file)) {
      const problem = linkProblem(contentDir, file)
      if (!this.#links.has(file)) logHeldBack(logger, problem)
      this.#media.delete(file)
      return this.#addLink({ file, article: undefined, problems: [problem] })
    }
    if (this.#links.delete(file)) this.#entries.delete(file)
    if (kind === 'article') return this.#reloadArticle(file)
    if (kind === 'media') this.#reloadMedia(file)
  }

  #addLink(entry: ContentEntry): void {
    if (!this.#entries.has(entry.file)) this.#unsorted = true
    this.#links.add(entry.file)
    this.#entries.set(entry.file, entry)
  }

  async #reloadArticle(file: string): Promise<void> {
    const { contentDir, defaults, logger, maxFileBytes } = this.#options
    let entry = await readSettledArticle(contentDir, file, defaults, { maxBytes: maxFileBytes })
    if (!entry) {
      if (this.#entries.delete(file)) logger.info({ event: 'article-removed', file }, `${file} removed`)
      return
    }
    const previous = this.#entries.get(file)
    if (!entry.article && previous?.article) {
      // Keep serving the last good version; say so in every problem.
      entry = { file, article: previous.article, problems: entry.problems.map((problem) => ({ ...problem, message: `${problem.message} (the last good version stays published)` })), read: entry.read }
    }
    if (!this.#entries.has(file)) this.#unsorted = true
    this.#entries.set(file, entry)
    for (const problem of entry.problems) logHeldBack(logger, problem)
    if (entry.problems.length === 0) logger.info({ event: 'article-loaded', file }, `${file} published`)
  }

  /**
   * A reload that threw is that file's problem: the rest of its batch is still published.
   * An article keeps its last good version, as after any broken edit.
   */
  #recordFailure(file: string, kind: ChangeKind, error: unknown): void {
    // The reason only: an error's own message names absolute paths, which /status must not show (the log has it whole).
    const problem = { file, line: 1, field: 'file', message: `cannot be loaded: ${(error as NodeJS.ErrnoException).code ?? 'unexpected error, see the log'}` }
    this.#options.logger.warn({ event: 'problem', err: error, ...problem }, formatProblem(problem))
    if (kind !== 'article') return
    const previous = this.#entries.get(file)
    if (!previous) this.#unsorted = true
    this.#entries.set(file, { file, article: previous?.article, problems: [previous?.article ? { ...problem, message: `${problem.message} (the last good version stays published)` } : problem] })
  }

  #reloadMedia(file: string): void {
    const media = loadMediaFile(this.#options.contentDir, file)
    if (media) this.#media.set(file, media)
    else this.#media.delete(file)
  }
}

/**
 * Log a problem that keeps its file (this version of it) out. The problems of the files
 * read are logged here; the rest of the list (bodies, pictures) by the site's ProblemAudit.
 */
function logHeldBack(logger: Logger, problem: Problem): void {
  const reported = { ...problem, effect: problem.effect ?? 'held back' }
  logger.warn({ event: 'problem', ...reported }, formatProblem(reported))
}
