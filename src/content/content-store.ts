import { EventEmitter } from 'node:events'
import { stat } from 'node:fs/promises'
import path from 'node:path'
import type { Config } from '../config.js'
import type { Logger } from '../logger.js'
import { buildCatalog, type Catalog, type ContentEntry, type MediaFile } from './build-catalog.js'
import { formatProblem, type Problem } from './format-problem.js'
import { isSymbolicLink, linkProblem } from './content-jail.js'
import { contentKindOf, isContentPath } from './content-kind.js'
import { listContentFiles, loadContent, loadMediaFile } from './load-content.js'
import type { ArticleDefaults } from './parse-article.js'
import { readSettledArticle } from './read-settled-article.js'
import { watchFolder, type FolderWatcher } from './watch-folder.js'

/** Options of `ContentStore.open`. */
export interface ContentStoreOptions {
  contentDir: string
  defaults: ArticleDefaults
  logger: Logger
  /** Watch the folder and republish on change. */
  watch: boolean
  /** Largest article file read, in bytes (`content.maxFileBytes`); larger ones are a problem. */
  maxFileBytes?: number | undefined
  /** Cache folder for the front-matter index (see `FrontMatterIndex`); none without it. */
  cacheDir?: string | undefined
  /** The clock, for scheduled articles; tests pass a fixed one. */
  now?: () => Date
}

// A save is a burst of events (write, rename, chmod), and a git pull or a copy of many
// files a longer one: the catalog is swapped once the folder has been quiet this long,
// so a burst publishes as one version (and each edit waits this long). Events that keep
// coming wait at most `maxSettleMs` after the first, so a folder never quiet still publishes.
const settleMs = 100
const maxSettleMs = 1_000
const indexSaveDelayMs = 1_000
// setTimeout cannot wait longer than about 24.8 days.
const maxTimerMs = 2_147_000_000

/**
 * The published content: a catalog swapped whole when files change, so a request
 * never sees half an update. A bad edit keeps the last good version of that article
 * published, with the problem reported until it is fixed; a deleted file leaves.
 *
 * Emits `change` with the new catalog and the paths of the files that changed after each swap.
 */
export class ContentStore extends EventEmitter<{ change: [Catalog, string[]] }> {
  readonly #options: ContentStoreOptions
  readonly #entries = new Map<string, ContentEntry>()
  readonly #media = new Map<string, MediaFile>()
  // 'other': a path that publishes nothing, looked at only in case it is (or was) a link.
  readonly #pending = new Map<string, 'article' | 'media' | 'other'>()
  // Files held in #entries only to report that they are symbolic links (never published).
  readonly #links = new Set<string>()
  #catalog!: Catalog
  #watcher: FolderWatcher | undefined
  #settle: NodeJS.Timeout | undefined
  // When the first change of the pending burst was seen (see `maxSettleMs`).
  #settleSince: number | undefined
  #schedule: NodeJS.Timeout | undefined
  #saveIndex: (() => void) | undefined
  #saveIndexTimer: NodeJS.Timeout | undefined
  #flushing: Promise<void> = Promise.resolve()
  #watching: Promise<void> = Promise.resolve()
  #loaded = false
  #closed = false
  #rescanning: Promise<void> | undefined
  #rescanAgain = false
  // A file was added since the entries were last put in file order.
  #unsorted = true

  private constructor(options: ContentStoreOptions) {
    super()
    this.#options = options
  }

  /**
   * Load a content folder (and start watching it when asked). The service does not wait
   * for the watcher to be set up and to catch up: see `watching`.
   */
  static async open(options: ContentStoreOptions): Promise<ContentStore> {
    const store = new ContentStore(options)
    const scanned = options.watch ? store.#startWatching() : undefined
    const { entries, media, links, saveIndex } = await loadContent(options.contentDir, options.defaults, { cacheDir: options.cacheDir, maxFileBytes: options.maxFileBytes })
    for (const entry of entries) store.#entries.set(entry.file, entry)
    for (const entry of links) store.#addLink(entry)
    // loadContent gives them in file order already: sorting and re-inserting ten thousand took 6 to 11 ms.
    store.#unsorted = links.length > 0
    for (const [key, file] of media) store.#media.set(key, file)
    store.#rebuild()
    store.#loaded = true
    // Saving the index of ten thousand articles blocks for a few dozen milliseconds: not
    // before the first requests are answered.
    store.#saveIndex = saveIndex
    store.#saveIndexTimer = setTimeout(() => store.#flushIndex(), indexSaveDelayMs).unref()
    if (store.#pending.size > 0) store.#scheduleFlush()
    if (scanned) store.#watching = scanned.then(() => store.#rescan())
    return store
  }

  /** Resolves once the watcher watches every folder and has caught up with changes made while the content loaded. */
  get watching(): Promise<void> {
    return this.#watching
  }

  /** The current catalog. */
  get catalog(): Catalog {
    return this.#catalog
  }

  /** Every article file's latest outcome, drafts and scheduled articles included, in file order once the catalog is built. */
  get entries(): Iterable<ContentEntry> {
    return this.#entries.values()
  }

  /** Stop watching and cancel timers. */
  async close(): Promise<void> {
    // Nothing is scheduled or swapped once closing starts, even by a catch-up under way.
    this.#closed = true
    clearTimeout(this.#settle)
    clearTimeout(this.#schedule)
    // A service stopped right after it started still leaves its index for the next start.
    this.#flushIndex()
    this.#watcher?.close()
    await this.#watching.catch(() => undefined)
    await this.#rescanning
    await this.#flushing
  }

  #flushIndex(): void {
    clearTimeout(this.#saveIndexTimer)
    const save = this.#saveIndex
    this.#saveIndex = undefined
    save?.()
  }

  #startWatching(): Promise<void> {
    const { contentDir, logger } = this.#options
    const watcher = watchFolder(contentDir, {
      includeFolder: isContentPath,
      onPath: (file) => {
        if (!isContentPath(file)) return
        this.#pending.set(file, contentKindOf(file) ?? 'other')
        // Changes seen while the folder is first read are applied once it is loaded.
        if (this.#loaded) this.#scheduleFlush()
      },
      // Until the content is loaded, the catch-up that follows the load covers it.
      onFolders: () => void (this.#loaded && this.#rescan()),
      onError: (error) => logger.error({ err: error }, 'content watcher failed'),
    })
    this.#watcher = watcher
    return watcher.ready
  }

  /**
   * Watch the folders that exist now, then queue every file that differs from what was
   * read. One at a time: a folder moved in with others inside reports once per folder.
   */
  #rescan(): Promise<void> {
    if (this.#closed) return Promise.resolve()
    if (this.#rescanning) {
      this.#rescanAgain = true
      return this.#rescanning
    }
    const run = async () => {
      do {
        this.#rescanAgain = false
        try {
          await this.#watcher?.sync()
          await this.#catchUp()
        } catch (error) {
          // The folder may be gone for a moment (replaced whole): the last content stays
          // published, and a rescan asked for meanwhile still runs.
          this.#options.logger.error({ err: error }, 'reading the content folder again failed')
        }
      } while (this.#rescanAgain && !this.#closed)
    }
    this.#rescanning = run().finally(() => (this.#rescanning = undefined))
    return this.#rescanning
  }

  /**
   * Queue what changed without an event: a file saved before its folder was watched,
   * or the files of a folder moved in or away. Every file whose size or modification
   * time differs from the version read, and every file added or removed, is read again.
   */
  async #catchUp(): Promise<void> {
    const { contentDir } = this.#options
    const { articles, media, links } = await listContentFiles(contentDir)
    const differs = async (file: string, read: { size: number; mtimeMs: number } | undefined) => {
      if (!read) return true
      try {
        const stats = await stat(path.join(contentDir, file))
        return stats.size !== read.size || stats.mtime.getTime() !== read.mtimeMs
      } catch {
        return true
      }
    }
    const check = async (files: string[], readOf: (file: string) => { size: number; mtimeMs: number } | undefined, known: Map<string, unknown>, kind: 'article' | 'media') => {
      const listed = new Set(files)
      const changed = await Promise.all(files.map((file) => differs(file, readOf(file))))
      files.forEach((file, index) => changed[index] && this.#pending.set(file, kind))
      for (const file of known.keys()) if (!listed.has(file)) this.#pending.set(file, kind)
    }
    await check(articles, (file) => this.#entries.get(file)?.read, this.#entries, 'article')
    await check(media, (file) => {
      const known = this.#media.get(file)
      return known && { size: known.size, mtimeMs: known.mtime.getTime() }
    }, this.#media, 'media')
    // Links come and go without a size to compare: queue the new ones and the gone ones.
    for (const file of links) if (!this.#links.has(file)) this.#pending.set(file, contentKindOf(file) ?? 'other')
    for (const file of this.#links) if (!links.includes(file)) this.#pending.set(file, contentKindOf(file) ?? 'other')
    if (this.#pending.size > 0) this.#scheduleFlush()
  }

  #scheduleFlush(): void {
    if (this.#closed) return
    clearTimeout(this.#settle)
    const now = Date.now()
    this.#settleSince ??= now
    this.#settle = setTimeout(() => {
      this.#settle = undefined
      this.#settleSince = undefined
      // A failed flush is logged; it must not stop every later change from being applied.
      this.#flushing = this.#flushing.then(() => this.#flush()).catch((error: unknown) => this.#options.logger.error({ err: error }, 'applying content changes failed'))
    }, Math.max(0, Math.min(settleMs, this.#settleSince + maxSettleMs - now)))
  }

  /** Apply every pending change, then swap the catalog once. */
  async #flush(): Promise<void> {
    if (this.#closed) return
    const batch = [...this.#pending]
    this.#pending.clear()
    if (batch.length === 0) return
    await Promise.all(batch.map(([file, kind]) => this.#reload(file, kind).catch((error: unknown) => this.#recordFailure(file, kind, error))))
    if (this.#closed) return
    this.#rebuild(batch.map(([file]) => file), batch.every(([, kind]) => kind === 'article'))
  }

  /**
   * Read one changed path again. A symbolic link, whatever it points to, is never
   * published: it is held as a problem until it is gone (see `openContentFile`, which
   * also refuses a file swapped for a link after this).
   */
  async #reload(file: string, kind: 'article' | 'media' | 'other'): Promise<void> {
    const { contentDir, logger } = this.#options
    if (isSymbolicLink(contentDir, file)) {
      const problem = linkProblem(contentDir, file)
      if (!this.#links.has(file)) logHeldBack(logger, problem)
      this.#media.delete(file)
      return this.#addLink({ file, article: undefined, problems: [problem] })
    }
    if (this.#links.delete(file)) this.#entries.delete(file)
    if (kind === 'article') return this.#reloadArticle(file)
    if (kind === 'media') return this.#reloadMedia(file)
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
  #recordFailure(file: string, kind: 'article' | 'media' | 'other', error: unknown): void {
    // The reason only: an error's own message names absolute paths, which /status must not show (the log has it whole).
    const problem = { file, line: 1, field: 'file', message: `cannot be loaded: ${(error as NodeJS.ErrnoException).code ?? 'unexpected error, see the log'}` }
    this.#options.logger.warn({ event: 'problem', err: error, ...problem }, formatProblem(problem))
    if (kind !== 'article') return
    const previous = this.#entries.get(file)
    if (!previous) this.#unsorted = true
    this.#entries.set(file, { file, article: previous?.article, problems: [previous?.article ? { ...problem, message: `${problem.message} (the last good version stays published)` } : problem] })
  }

  async #reloadMedia(file: string): Promise<void> {
    const media = loadMediaFile(this.#options.contentDir, file)
    if (media) this.#media.set(file, media)
    else this.#media.delete(file)
  }

  /**
   * @param changed the files that changed since the current catalog
   * @param onlyArticles whether all of them are articles: then the catalog is built from what they changed
   */
  #rebuild(changed: string[] = [], onlyArticles = false): void {
    if (this.#unsorted) {
      // buildCatalog wants entries in file order, and then does not sort them at each edit.
      const sorted = [...this.#entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      this.#entries.clear()
      for (const [file, entry] of sorted) this.#entries.set(file, entry)
      this.#unsorted = false
    }
    const now = (this.#options.now ?? (() => new Date()))()
    const edited = onlyArticles && this.#catalog ? new Map(changed.map((file) => [file, this.#entries.get(file)])) : undefined
    const previous = this.#catalog
    const catalog = buildCatalog(this.#entries.values(), new Map(this.#media), now, this.#catalog, edited)
    this.#catalog = catalog
    if (previous) this.#logNewCatalogProblems(previous, catalog)
    this.#scheduleNext(catalog.nextScheduled, now)
    this.emit('change', catalog, changed)
  }

  /**
   * Log what the catalog itself finds wrong since the last version, such as a new file
   * that takes an article's slug: a file's own problems were logged when it was read, and
   * the server logs every problem once at start-up.
   */
  #logNewCatalogProblems(previous: Catalog, catalog: Catalog): void {
    // The common edit, on a clean site: nothing to compare, nothing to format.
    if (catalog.problems.length === 0) return
    const known = new Set(previous.problems.map(formatProblem))
    for (const problem of catalog.problems) {
      if (this.#entries.get(problem.file)?.problems.includes(problem)) continue
      if (!known.has(formatProblem(problem))) logHeldBack(this.#options.logger, problem)
    }
  }

  /** Publish scheduled articles when their date comes, without a restart. */
  #scheduleNext(next: Date | undefined, now: Date): void {
    clearTimeout(this.#schedule)
    if (!next || !this.#options.watch) return
    this.#schedule = setTimeout(() => this.#rebuild(), Math.min(Math.max(0, next.getTime() - now.getTime()) + 10, maxTimerMs))
    this.#schedule.unref()
  }
}

// The problems of the files the store reads keep them (this version of them) out; the rest
// of the list (bodies, pictures) is logged by the site's ProblemAudit.
function logHeldBack(logger: Logger, problem: Problem): void {
  const reported = { ...problem, effect: problem.effect ?? 'held back' }
  logger.warn({ event: 'problem', ...reported }, formatProblem(reported))
}

/**
 * Open the content folder a configuration names. Apart from `openSite`, so that the
 * server can start reading content before it loads the modules that serve it.
 *
 * @param options.now the clock for scheduled articles (tests pin it)
 */
export function openContentStore(config: Config, logger: Logger, options: { now?: () => Date } = {}): Promise<ContentStore> {
  return ContentStore.open({
    contentDir: config.contentDir,
    defaults: { language: config.site.language, author: config.site.author },
    logger,
    watch: config.watch,
    cacheDir: config.cacheDir,
    maxFileBytes: config.content.maxFileBytes,
    ...(options.now ? { now: options.now } : {}),
  })
}
