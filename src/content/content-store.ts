import { EventEmitter } from 'node:events'
import type { Config } from '../config.js'
import type { Logger } from '../logger.js'
import type { Catalog, ContentEntry } from './catalog.js'
import { createChangeQueue, type ChangeBatch, type ChangeQueue } from './change-queue.js'
import { ContentState } from './content-state.js'
import { loadContent } from './load-content.js'
import type { ArticleDefaults } from './parse-article.js'

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

const indexSaveDelayMs = 1_000
// setTimeout cannot wait longer than about 24.8 days.
const maxTimerMs = 2_147_000_000

/**
 * The published content: a catalog swapped whole when files change, so a request
 * never sees half an update. Three parts: the change queue (watching, rescans, quiet
 * periods) hands batches of changed paths to the content state (batch → entries →
 * catalog); the store swaps the catalog, and rebuilds it when a scheduled article's
 * date comes.
 *
 * Emits `change` with the new catalog and the paths of the files that changed after each swap.
 */
export class ContentStore extends EventEmitter<{ change: [Catalog, string[]] }> {
  readonly #options: ContentStoreOptions
  readonly #state: ContentState
  #catalog: Catalog
  #queue: ChangeQueue | undefined
  #watching: Promise<void> = Promise.resolve()
  #schedule: NodeJS.Timeout | undefined
  #saveIndex: (() => void) | undefined
  #saveIndexTimer: NodeJS.Timeout | undefined
  #closed = false

  private constructor(options: ContentStoreOptions, state: ContentState, queue: ChangeQueue | undefined) {
    super()
    this.#options = options
    this.#state = state
    this.#queue = queue
    this.#catalog = this.#rebuild()
  }

  /**
   * Load a content folder (and start watching it when asked). The service does not wait
   * for the watcher to be set up and to catch up: see `watching`.
   */
  static async open(options: ContentStoreOptions): Promise<ContentStore> {
    let store: ContentStore | undefined
    let state: ContentState | undefined
    // Watching starts before the load, so that nothing saved meanwhile is missed; what it
    // sees waits for `start`.
    const queue = options.watch ? createChangeQueue({ contentDir: options.contentDir, logger: options.logger, readFiles: () => state!.read, onBatch: (batch) => store!.#apply(batch) }) : undefined
    const { entries, media, links, saveIndex } = await loadContent(options.contentDir, options.defaults, { cacheDir: options.cacheDir, maxFileBytes: options.maxFileBytes })
    state = new ContentState(options, { entries, media, links })
    store = new ContentStore(options, state, queue)
    // Saving the index of ten thousand articles blocks for a few dozen milliseconds: not
    // before the first requests are answered.
    store.#saveIndex = saveIndex
    store.#saveIndexTimer = setTimeout(() => store.#flushIndex(), indexSaveDelayMs).unref()
    if (queue) store.#watching = queue.start()
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
    return this.#state.entries
  }

  /** Stop watching and cancel timers. */
  async close(): Promise<void> {
    // Nothing is scheduled or swapped once closing starts, even by a catch-up under way.
    this.#closed = true
    clearTimeout(this.#schedule)
    // A service stopped right after it started still leaves its index for the next start.
    this.#flushIndex()
    await this.#queue?.close()
    await this.#watching.catch(() => undefined)
  }

  #flushIndex(): void {
    clearTimeout(this.#saveIndexTimer)
    const save = this.#saveIndex
    this.#saveIndex = undefined
    save?.()
  }

  /** Apply a batch of changed paths, then swap the catalog once. */
  async #apply(batch: ChangeBatch): Promise<void> {
    if (this.#closed) return
    await this.#state.apply(batch)
    if (this.#closed) return
    const files = batch.map(([file]) => file)
    this.#catalog = this.#rebuild(this.#catalog, { files, onlyArticles: batch.every(([, kind]) => kind === 'article') })
    this.emit('change', this.#catalog, files)
  }

  /** The catalog of the content as it is now, with the next scheduled article's timer set. */
  #rebuild(previous?: Catalog, changed?: { files: string[]; onlyArticles: boolean }): Catalog {
    const now = (this.#options.now ?? (() => new Date()))()
    const catalog = this.#state.toCatalog(now, previous, changed)
    this.#scheduleNext(catalog.nextScheduled, now)
    return catalog
  }

  /** Publish scheduled articles when their date comes, without a restart. */
  #scheduleNext(next: Date | undefined, now: Date): void {
    clearTimeout(this.#schedule)
    if (!next || !this.#options.watch) return
    this.#schedule = setTimeout(() => {
      this.#catalog = this.#rebuild(this.#catalog)
      this.emit('change', this.#catalog, [])
    }, Math.min(Math.max(0, next.getTime() - now.getTime()) + 10, maxTimerMs))
    this.#schedule.unref()
  }
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
