import type { Config } from '../config.js'
import type { ContentStore } from '../content/content-store.js'
import { formatProblem, type Problem } from '../content/format-problem.js'
import type { Article } from '../content/parse-article.js'
import type { Logger } from '../logger.js'
import { BodyNotRenderedError, type ArticleRenderer } from '../markdown/render-article.js'
import { inspectBody, listContentProblems, type BodyFindings, type ReportedProblem } from './content-problems.js'

// Articles rendered per turn of the event loop: requests are answered in between.
const batchSize = 25

/**
 * The server's side of `check`: every article of the content folder, drafts and
 * scheduled ones included, is rendered once in the background after start-up and again
 * when it changes, so that the log and `GET /status` hold the same problems as `check`
 * (see `listContentProblems`). Each problem is logged once, when it appears.
 */
export class ProblemAudit {
  readonly #store: ContentStore
  readonly #renderer: ArticleRenderer
  readonly #config: Pick<Config, 'baseUrl' | 'contentDir'>
  readonly #logger: Logger
  readonly #now: () => Date
  // Per article object: an edit makes a new one, so findings never go stale.
  readonly #findings = new WeakMap<Article, BodyFindings>()
  // Undefined until the first list is logged.
  #logged: Set<string> | undefined
  #pass: NodeJS.Immediate | undefined
  #closed = false
  readonly #done: Promise<boolean>
  #resolveDone!: (complete: boolean) => void

  constructor(options: { store: ContentStore; renderer: ArticleRenderer; config: Pick<Config, 'baseUrl' | 'contentDir'>; logger: Logger; now: () => Date }) {
    this.#store = options.store
    this.#renderer = options.renderer
    this.#config = options.config
    this.#logger = options.logger
    this.#now = options.now
    this.#done = new Promise((resolve) => (this.#resolveDone = resolve))
  }

  /** Resolves once every article has been rendered once (`true`), or the audit was closed first (`false`). */
  get checked(): Promise<boolean> {
    return this.#done
  }

  /** Log the problems known now, and render every article in the background, logging what that finds. */
  start(): void {
    this.#log()
    // Oldest first, so that the renders the renderer keeps in memory at the end are the feeds' newest.
    const queue = [...this.#articles()].sort((a, b) => a.date.getTime() - b.date.getTime())
    const pass = async () => {
      for (let index = 0; index < queue.length; index++) {
        if (index % batchSize === 0) await new Promise((resolve) => (this.#pass = setImmediate(resolve)))
        if (this.#closed) return
        await this.#inspectPrepared(queue[index]!)
      }
      if (this.#closed) return
      this.#log()
      this.#resolveDone(true)
    }
    void pass()
  }

  /**
   * After a content change: render the changed files' articles now, and log what is new;
   * a large body renders in the worker thread, and its problems are logged once it has.
   */
  update(changed: ReadonlyArray<string>): void {
    const files = new Set(changed)
    const large: Article[] = []
    for (const article of this.#articles()) if (files.has(article.file) && !this.#inspect(article)) large.push(article)
    this.#log()
    if (large.length === 0) return
    const pass = async () => {
      for (const article of large) await this.#inspectPrepared(article)
      if (!this.#closed) this.#log()
    }
    void pass()
  }

  /** Every problem of the content, as `check` lists them; `pending` articles are not rendered yet. */
  list(): { problems: ReportedProblem[]; pending: number } {
    return listContentProblems({ entries: this.#store.entries, catalog: this.#store.catalog, now: this.#now(), baseUrl: this.#config.baseUrl, contentDir: this.#config.contentDir }, (article) => this.#findings.get(article))
  }

  /** Stop the background pass. */
  close(): void {
    this.#closed = true
    if (this.#pass) clearImmediate(this.#pass)
    this.#resolveDone(false)
  }

  *#articles(): Iterable<Article> {
    for (const entry of this.#store.entries) if (entry.article) yield entry.article
  }

  /** Inspect an article, rendering its body in the worker thread first if it is large (one at a time, so a request waits behind one render at most). */
  async #inspectPrepared(article: Article): Promise<void> {
    if (this.#inspect(article)) return
    await this.#renderer.prepare([article])
    if (!this.#closed) this.#inspect(article)
  }

  /** Render an article and keep its findings; `false` when its body is large and not rendered yet (see `#inspectPrepared`). */
  #inspect(article: Article): boolean {
    if (this.#findings.has(article)) return true
    try {
      // A body that could not be read (a save under way, a folder moved for a moment) is
      // no finding to keep: the next change or request reads it again.
      if (!this.#renderer.render(article).lasting) return true
      this.#findings.set(article, inspectBody(article, this.#renderer))
    } catch (error) {
      if (error instanceof BodyNotRenderedError) return false
      // A request renders it again and answers 500 if it still fails; the audit goes on.
      this.#logger.error({ err: error, file: article.file }, 'rendering failed')
    }
    return true
  }

  /**
   * Log the problems not logged yet; one fixed and back later is logged again. After the
   * first list, the store logs the problems of what it reads (catalog problems), as it reads them.
   */
  #log(): void {
    const { problems } = this.list()
    const byStore = this.#logged === undefined ? undefined : new Set(this.#store.catalog.problems.map(keyOf))
    const logged = new Set<string>()
    for (const problem of problems) {
      const text = formatProblem(problem)
      logged.add(text)
      if (this.#logged?.has(text) || byStore?.has(keyOf(problem))) continue
      this.#logger.warn({ event: 'problem', ...problem }, text)
    }
    this.#logged = logged
  }
}

function keyOf(problem: Problem): string {
  return formatProblem({ ...problem, effect: undefined })
}
