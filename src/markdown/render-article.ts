import type { Element, ElementContent } from 'hast'
import { h } from 'hastscript'
import { toHtml } from 'hast-util-to-html'
import { LRUCache } from 'lru-cache'
import mime from 'mime-types'
import type { Problem } from '../content/format-problem.js'
import { articlePath } from '../content/slugify-name.js'
import { labelsFor } from '../labels.js'
import { stripInvalidXmlChars } from '../content/xml-chars.js'
import { readArticleBody } from '../content/article-body.js'
import { ArticleTextError } from '../content/decode-article-text.js'
import type { Article } from '../content/parse-article.js'
import type { Source } from '../content/front-matter-schema.js'
import { formatCreditCaption, parseCreditLine } from './credited-figures.js'
import { RenderCache } from './render-cache.js'
import type { RenderedBody } from './render-markdown.js'
import { isTypeScriptSource, loadOnDemand } from '../load-on-demand.js'
import { rendererVersion } from './renderer-version.js'
import { findTooDeepNesting, maxNestingDepth } from './nesting-limit.js'
import { createRenderPool, defaultRenderLimits, RenderPoolClosedError, type RenderLimits, type RenderPool } from './render-pool.js'
import { mediaPathPrefix, resolveUrl, type UrlContext } from './resolve-url.js'

// remark, rehype and their plugins take a third of a second to load, and a warm render
// cache never needs them: they load with the first render the cache does not have.
const loadMarkdown = loadOnDemand<typeof import('./render-markdown.js')>(
  './render-markdown.js',
  import.meta.url,
  isTypeScriptSource(import.meta.url) ? await import('./render-markdown.js') : undefined,
)

/** A picture of an article, with everything a feed needs to credit it. */
export interface MediaItem {
  url: string
  /** Media type from the file extension, when known. */
  type: string | undefined
  alt: string
  credit: string | undefined
  copyright: string | undefined
  license: string | undefined
  /** EBU role of the credited party. */
  role: string
  /** Whether this is the article's lead image. */
  lead: boolean
  /** 1-based line of a picture of the text in the article's file, when known. */
  line?: number | undefined
}

/** An article's content, ready for every format. */
export interface RenderedArticle {
  /** Full HTML: lead figure, body, and the visible sources line. */
  html: string
  /** Plain-text summary: the editor's, or derived from the body. */
  summary: string
  /** Lead image first, then body images in order. */
  media: MediaItem[]
  /** Body images without a credit or alt text; a body that could not be read or rendered. */
  problems: Problem[]
  /**
   * Which body `html` holds: the current one; the last good one of the same file, when
   * the current body could not be read or rendered; or none (`html` holds the lead
   * picture and sources only): such an article is not to be published (see `hasText`).
   */
  body: 'current' | 'last-good' | 'none'
  /**
   * Whether this outcome holds until the file changes, so a document made from it may be
   * kept: `false` when the body could not be read (a file being saved, a folder renamed
   * for a moment), which the next render tries again.
   */
  lasting: boolean
}

/** Whether a render has text to publish: an article without it is left out rather than published empty. */
export function hasText(rendered: RenderedArticle): boolean {
  return rendered.body !== 'none'
}

/** Why a body produced no HTML. */
interface BodyFailure {
  problem: Problem
  /** Until the file changes (a render that failed), or only for this attempt (a read that failed). */
  lasting: boolean
}


// About 15 MB of HTML, and three times that of the feed items serialized from it (see
// item-fragments), which live as long as their render: the current feeds of a large site.
// 2,000 took the benchmark's peak to 540-556 MB at 10,000 articles, over its 550 MB goal.
const defaultKeepRendered = 1_000

/**
 * Bodies larger than this (bytes of Markdown) render in a worker thread, within the time
 * and memory of `RenderLimits`; smaller ones on the calling thread, which they block
 * meanwhile. Rendering is not linear in size: the slowest bodies of this size found
 * (lists, tables, footnotes, emphasis that never closes) took up to 0.2 s, while 256 KB
 * of list items took 57 s and nearly 2 GB (numbers: docs/writing-articles.md#limits).
 */
export const maxInlineBodyBytes = 8 * 1024

/**
 * `render()` was asked for a body too large to render on this thread that no `prepare()`
 * has rendered yet: await `renderer.prepare([error.article])`, then ask again.
 */
export class BodyNotRenderedError extends Error {
  constructor(readonly article: Article) {
    super(`the body of ${article.file} is rendered off the main thread: prepare() it first`)
  }
}

/** Options of `ArticleRenderer`. */
export interface ArticleRendererOptions {
  /** Public origin, part of every absolute URL and so of the cache key. */
  baseUrl: string
  /** Folder for the disk cache, `undefined` for memory only. */
  cacheDir: string | undefined
  /** Renderer version, part of the cache key (tests change it). */
  version?: string | undefined
  /** How many finished renders to keep in memory. */
  keepRendered?: number | undefined
  /** Time and memory of one render of a large body (see `maxInlineBodyBytes`). */
  limits?: RenderLimits | undefined
  /** Failures another renderer found (`failures()`), so a worker of the CLI does not try them again. */
  failures?: ReadonlyArray<readonly [string, Problem]> | undefined
}

/** URL of an article page. */
export function articleUrl(baseUrl: string, slug: string): string {
  return `${baseUrl}${articlePath(slug)}`
}

/**
 * Turns articles into HTML once per version of their body and settings, with a cache
 * that survives restarts (see `RenderCache`). A body over `maxInlineBodyBytes` is
 * rendered by `prepare()`, in a worker thread within `RenderLimits`; `render()` throws
 * `BodyNotRenderedError` for one that was not prepared, rather than block its thread.
 */
export class ArticleRenderer {
  readonly #baseUrl: string
  readonly #version: string
  readonly #cache: RenderCache
  // Finished renders of the articles asked for most recently. Unbounded, serving every
  // feed of a 10,000-article site once kept a rendered copy of most of them.
  readonly #composed: LRUCache<Article, RenderedArticle>
  // Problems outlive evicted renders, so /status keeps listing them.
  readonly #problems = new WeakMap<Article, Problem[]>()
  // Bodies that failed to render, by cache key (a hash of the body): a hostile file costs
  // its render once, not once per request, until it changes.
  readonly #failures = new LRUCache<string, Problem>({ max: 10_000 })
  // The key of each file's last body that rendered, to keep it online when a later one fails.
  readonly #lastGood = new Map<string, string>()
  #renders = 0
  // Hashing every body again on each catalog swap would cost more than the edit itself.
  readonly #keys = new WeakMap<Article, string>()
  readonly #limits: RenderLimits
  #pool: RenderPool | undefined
  // Bodies prepare() rendered, until render() takes them: the cache alone may have
  // dropped one meanwhile (a write that failed, a retain() after an edit).
  readonly #prepared = new LRUCache<string, RenderedBody>({ max: 16 })
  // Renders under way in the pool, by key: two requests for one body wait for one render.
  readonly #preparing = new Map<string, Promise<void>>()

  constructor(options: ArticleRendererOptions) {
    this.#composed = new LRUCache({ max: options.keepRendered ?? defaultKeepRendered })
    this.#baseUrl = options.baseUrl
    this.#version = options.version ?? rendererVersion
    this.#cache = new RenderCache(options.cacheDir)
    this.#limits = options.limits ?? defaultRenderLimits
    for (const [key, problem] of options.failures ?? []) this.#failures.set(key, problem)
  }

  /** Key under which the body of `article` is cached (hashed once per article object). */
  cacheKey(article: Article): string {
    return this.#keyOf(article).key
  }

  #keyOf(article: Article): { key: string; source?: string; unreadable?: BodyFailure } {
    const known = this.#keys.get(article)
    if (known !== undefined) return { key: known }
    const { source, unreadable } = this.#readBody(article)
    const key = RenderCache.keyOf([this.#version, this.#baseUrl, article.file, article.slug, source])
    if (unreadable === undefined) this.#keys.set(article, key)
    return { key, source, ...(unreadable === undefined ? {} : { unreadable }) }
  }

  #readBody(article: Article): { source: string; unreadable?: BodyFailure } {
    try {
      return { source: readArticleBody(article) }
    } catch (error) {
      // Text that is not UTF-8 stays so until the file changes. Otherwise it was removed,
      // or changed since it was listed: reported, and neither kept nor cached, so the next
      // render tries again.
      const problem: Problem = { file: article.file, field: 'body', message: `cannot be read: ${(error as Error).message}`, effect: 'held back' }
      return { source: '', unreadable: { problem, lasting: error instanceof ArticleTextError } }
    }
  }

  /** How many bodies were rendered from Markdown so far: the work the caches and the memory of failures save. */
  get renderCount(): number {
    return this.#renders
  }

  /** Whether rendering `article` would render Markdown: its body is neither cached (in memory or on disk) nor known to fail. */
  needsRender(article: Article): boolean {
    const key = this.cacheKey(article)
    return !this.#failures.has(key) && this.#cache.get(key) === undefined
  }

  /** The bodies known to fail, by cache key: for `ArticleRendererOptions.failures` of another renderer. */
  failures(): Array<[string, Problem]> {
    return [...this.#failures.entries()]
  }

  /**
   * Render, in the worker thread, the bodies of `articles` that `render()` will not render
   * on this thread (over `maxInlineBodyBytes`, not cached, not known to fail), one at a
   * time; each that passes its time or memory is remembered as a problem until it changes.
   * Resolves once each is rendered or remembered; never rejects.
   */
  async prepare(articles: Iterable<Article>): Promise<void> {
    for (const article of articles) {
      if (this.#composed.has(article)) continue
      const { key, source, unreadable } = this.#keyOf(article)
      if (unreadable !== undefined || this.#failures.has(key) || this.#prepared.has(key)) continue
      const markdown = source ?? this.#readBody(article).source
      if (Buffer.byteLength(markdown) <= maxInlineBodyBytes || findTooDeepNesting(markdown) !== undefined) continue
      if (this.#cache.get(key) !== undefined) continue
      let running = this.#preparing.get(key)
      if (!running) {
        running = this.#renderOffThread(article, key, markdown).finally(() => this.#preparing.delete(key))
        this.#preparing.set(key, running)
      }
      await running
    }
  }

  /** Stop the worker thread (renders under way are dropped, not remembered as failures). */
  async close(): Promise<void> {
    await this.#pool?.close()
  }

  async #renderOffThread(article: Article, key: string, markdown: string): Promise<void> {
    const context: UrlContext = { baseUrl: this.#baseUrl, pageUrl: articleUrl(this.#baseUrl, article.slug), file: article.file }
    this.#pool ??= createRenderPool(this.#limits)
    this.#renders++
    let outcome
    try {
      outcome = await this.#pool.render(stripInvalidXmlChars(markdown), context)
    } catch (error) {
      if (error instanceof RenderPoolClosedError) return
      throw error
    }
    if ('body' in outcome) {
      this.#cache.set(key, outcome.body)
      this.#prepared.set(key, outcome.body)
      return
    }
    const { maxSeconds, maxMB } = this.#limits
    const advice = 'split it into shorter articles, or shorten its longest list, table or run of footnotes'
    const message =
      'error' in outcome
        ? `cannot be rendered: ${outcome.error}`
        : outcome.exceeded === 'time'
          ? `takes more than ${maxSeconds} s to render; rendering an article is limited to ${maxSeconds} s (content.maxRenderSeconds): ${advice}`
          : `takes more than ${maxMB} MB to render; rendering an article is limited to ${maxMB} MB (content.maxRenderMB): ${advice}`
    this.#failures.set(key, { file: article.file, line: article.bodyLine, field: 'body', message, effect: 'held back' })
  }

  /** Body problems of this very article object, if it was rendered already (no work is done to find out). */
  renderedProblems(article: Article): Problem[] | undefined {
    return this.#problems.get(article)
  }

  /**
   * Render an article (or return the render made for this very object). A body that
   * cannot be read or rendered never throws: the last good body of the same file stands
   * in for it when there is one (see `RenderedArticle.body`), and the failure is a problem.
   *
   * @throws BodyNotRenderedError for a body over `maxInlineBodyBytes` that `prepare()` has not rendered
   */
  render(article: Article): RenderedArticle {
    const done = this.#composed.get(article)
    if (done) return done
    const context: UrlContext = { baseUrl: this.#baseUrl, pageUrl: articleUrl(this.#baseUrl, article.slug), file: article.file }
    const keyed = this.#keyOf(article)
    const { key } = keyed
    let { source, unreadable } = keyed
    let failure: BodyFailure | undefined
    let body = unreadable === undefined ? this.#cache.get(key) : undefined
    if (!body && unreadable === undefined) {
      // Hashed before but not in the cache (evicted, or the cache cannot be written):
      // read again, which fails rather than give another version of the body.
      if (source === undefined) ({ source, unreadable } = this.#readBody(article))
      const remembered = this.#failures.get(key)
      if (remembered) failure = { problem: remembered, lasting: true }
      else if (unreadable === undefined) ({ body, failure } = this.#renderBody(article, key, source!, context))
    }
    if (unreadable !== undefined) failure = unreadable
    let state: RenderedArticle['body'] = 'current'
    if (body && !failure) {
      this.#lastGood.set(article.file, key)
    } else {
      const lastGoodKey = this.#lastGood.get(article.file)
      body = lastGoodKey === undefined ? undefined : this.#cache.get(lastGoodKey)
      state = body ? 'last-good' : 'none'
      if (body) failure = { ...failure!, problem: { ...failure!.problem, message: `${failure!.problem.message} (the last good version stays published)` } }
      body ??= { html: '', images: [], rejected: [], excerpt: '' }
    }
    const rendered = this.#compose(article, context, body, failure, state)
    // A read that failed is reported too, until a render of this article succeeds.
    this.#problems.set(article, rendered.problems)
    if (rendered.lasting) this.#composed.set(article, rendered)
    return rendered
  }

  /** Render a body from Markdown within the nesting limit (a large one only as prepared); a failure is remembered by `key`. */
  #renderBody(article: Article, key: string, source: string, context: UrlContext): { body?: RenderedBody; failure?: BodyFailure } {
    const deep = findTooDeepNesting(source)
    let problem: Problem | undefined
    if (deep) {
      problem = { file: article.file, line: article.bodyLine + deep.line - 1, field: 'body', message: `${deep.what} nest more than ${maxNestingDepth} levels deep; expected at most ${maxNestingDepth} (flatten them)`, effect: 'held back' }
    } else if (Buffer.byteLength(source) > maxInlineBodyBytes) {
      const body = this.#prepared.get(key)
      if (!body) throw new BodyNotRenderedError(article)
      this.#prepared.delete(key)
      return { body }
    } else {
      this.#renders++
      try {
        const body = loadMarkdown().renderMarkdown(stripInvalidXmlChars(source), context)
        this.#cache.set(key, body)
        return { body }
      } catch (error) {
        // A stack overflow on a shape the nesting limit does not measure: the same
        // file would fail again on every request.
        problem = { file: article.file, field: 'body', message: `cannot be rendered: ${(error as Error).message}`, effect: 'held back' }
      }
    }
    this.#failures.set(key, problem)
    return { failure: { problem, lasting: true } }
  }

  #compose(article: Article, context: UrlContext, body: RenderedBody, failure: BodyFailure | undefined, state: RenderedArticle['body']): RenderedArticle {
    const problems: Problem[] = []
    if (failure) problems.push(failure.problem)
    const at = (bodyLine: number | undefined) => ({
      file: article.file,
      ...(bodyLine === undefined ? {} : { line: article.bodyLine + bodyLine - 1 }),
      field: 'body',
    })
    for (const image of body.rejected) {
      problems.push({ ...at(image.line), message: `image "${image.src}" is not a picture a reader can load; expected a path relative to the article or an http(s) URL` })
    }
    for (const image of body.images) {
      const where = at(image.line)
      if (this.#isUnservedOwnUrl(image.url)) {
        problems.push({ ...where, message: `image "${image.url}" points at this site outside ${mediaPathPrefix}, where nothing is served; keep pictures inside the content folder` })
      }
      if (image.credit === undefined) {
        problems.push({ ...where, message: `image "${image.url}" has no credit; write it as the image title: ![${image.alt || 'alt text'}](src "© Holder")` })
      }
      if (image.alt.trim() === '') problems.push({ ...where, message: `image "${image.url}" has no alt text; describe the picture: ![what it shows](src "© Holder")` })
    }
    const lead = article.image
    const media: MediaItem[] = []
    const leadUrl = lead ? resolveUrl(context, lead.src, 'media') : undefined
    if (leadUrl && this.#isUnservedOwnUrl(leadUrl)) {
      problems.push({ file: article.file, field: 'image.src', message: `"${leadUrl}" points at this site outside ${mediaPathPrefix}, where nothing is served; keep pictures inside the content folder` })
    }
    if (lead && leadUrl) {
      // `credit: © Agency` is a notice too, as it is in a body image's title.
      const { credit, copyright } = parseCreditLine(lead.credit)
      media.push({ url: leadUrl, type: mediaTypeOf(leadUrl), alt: lead.alt, credit, copyright: lead.copyright ?? copyright, license: lead.license, role: lead.role, lead: true })
    }
    for (const image of body.images) {
      media.push({ url: image.url, type: mediaTypeOf(image.url), alt: image.alt, credit: image.credit, copyright: image.copyright, license: undefined, role: 'photographer', lead: false, line: image.line === undefined ? undefined : article.bodyLine + image.line - 1 })
    }
    const parts: ElementContent[] = []
    if (lead && leadUrl) parts.push(leadFigure(leadUrl, lead.alt, lead.credit, lead.copyright, lead.license, article.lang))
    const sources = article.sources.length > 0 ? toHtml(sourcesLine(article.sources, article.lang)) : ''
    const html = `${parts.length > 0 ? toHtml(parts) : ''}${parts.length > 0 ? '\n' : ''}${body.html}${sources ? `\n${sources}` : ''}`
    return { html, summary: article.summary ?? body.excerpt, media, problems, body: state, lasting: failure?.lasting ?? true }
  }

  /** A URL on this site's origin that is not under `/media/`: a picture that cannot load. */
  #isUnservedOwnUrl(url: string): boolean {
    return (url === this.#baseUrl || url.startsWith(`${this.#baseUrl}/`)) && !url.startsWith(`${this.#baseUrl}${mediaPathPrefix}`)
  }

  /**
   * Drop cached renders of articles no longer published: those `isPublished` refuses.
   * Only the renders in memory are visited (at most `keepRendered`), not every article.
   */
  retain(isPublished: (article: Article) => boolean): void {
    for (const article of [...this.#composed.keys()]) if (!isPublished(article)) this.#composed.delete(article)
    // Without a cache folder, bodies are cached in memory too, by hash: keep those of the
    // renders still kept. (With a folder, memory holds no bodies to drop.)
    if (!this.#cache.inMemory) return
    const keep = new Set<string>(this.#lastGood.values())
    for (const article of this.#composed.keys()) {
      const key = this.#keys.get(article)
      if (key !== undefined) keep.add(key)
    }
    this.#cache.retain(keep)
  }
}

function mediaTypeOf(url: string): string | undefined {
  try {
    return mime.lookup(new URL(url).pathname) || undefined
  } catch {
    return undefined
  }
}

function leadFigure(src: string, alt: string, credit: string, copyright: string | undefined, license: string | undefined, lang: string): Element {
  const caption: ElementContent[] = [{ type: 'text', value: formatCreditCaption(credit, copyright) }]
  if (license) caption.push({ type: 'text', value: ' · ' }, h('a', { href: license, rel: 'license' }, labelsFor(lang).license))
  return h('figure', [h('img', { src, alt }), h('figcaption', caption)])
}

function sourcesLine(sources: Source[], lang: string): Element {
  const labels = labelsFor(lang)
  const children: ElementContent[] = [{ type: 'text', value: `${sources.length > 1 ? labels.sources : labels.source}${labels.colon}` }]
  sources.forEach((source, index) => {
    if (index > 0) children.push({ type: 'text', value: ', ' })
    children.push(h('a', { href: source.url }, source.name))
  })
  return h('p', { className: ['sources'] }, children)
}
