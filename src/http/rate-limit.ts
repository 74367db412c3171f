import type { Request, RequestHandler, Response } from 'express'
import type { IncrementResponse, Options, Store } from 'express-rate-limit'
import { LRUCache } from 'lru-cache'
import { loadOnDemand } from '../load-on-demand.js'
import { normalizePath } from './normalize-path.js'

// Loaded only when the limit is on (it is off by default); it ships CommonJS too.
const loadRateLimit = loadOnDemand<typeof import('express-rate-limit')>('express-rate-limit', import.meta.url)

/**
 * express-rate-limit's counters in a fixed number of slots, the least recently used
 * evicted first: its own MemoryStore keeps one per key for a whole window, so a flood of
 * made-up keys grew the process by 300 MB in 30 s. An evicted counter starts again from
 * zero: under such a flood the limit errs toward letting readers through.
 */
export class BoundedRateLimitStore implements Store {
  readonly localKeys = true
  readonly #counters: LRUCache<string, { hits: number; resetTime: number }>
  #windowMs = 60_000

  /** @param maxKeys how many counters (client and URL pairs) are kept at most */
  constructor(readonly maxKeys: number) {
    this.#counters = new LRUCache({ max: maxKeys })
  }

  /** How many counters are kept now; never more than `maxKeys`. */
  get size(): number {
    return this.#counters.size
  }

  init(options: Options): void {
    this.#windowMs = options.windowMs
  }

  increment(key: string): IncrementResponse {
    const now = Date.now()
    let counter = this.#counters.get(key)
    if (!counter || counter.resetTime <= now) {
      counter = { hits: 0, resetTime: now + this.#windowMs }
      this.#counters.set(key, counter)
    }
    counter.hits++
    return { totalHits: counter.hits, resetTime: new Date(counter.resetTime) }
  }

  decrement(key: string): void {
    const counter = this.#counters.peek(key)
    if (counter && counter.hits > 0) counter.hits--
  }

  resetKey(key: string): void {
    this.#counters.delete(key)
  }

  resetAll(): void {
    this.#counters.clear()
  }
}

/** Options of `createRateLimit`. */
export interface RateLimitOptions {
  windowSeconds: number
  max: number
  /** Counters kept at most (see `BoundedRateLimitStore`). */
  maxKeys: number
  /** Whether the site publishes something at a normalized path (with `?page=N` for N ≥ 2). */
  isPublished: (normalizedPath: string) => boolean
  /** Answer a limited request. */
  onLimited: (req: Request, res: Response, message: string) => void
}

// Every path the site does not publish shares this one counter per client.
const unknownPath = '(unpublished)'

/**
 * Per client and per published URL: a reader polling one feed too often is limited on
 * that feed only. Only full answers count: a 304 (a reader revalidating politely) and
 * every 4xx or 5xx are given back once sent. Every spelling of a URL counts as that URL,
 * and paths the site does not publish share one counter, so neither made-up spellings
 * nor made-up paths make new counters.
 *
 * @returns the middleware and its store (tests read its size)
 */
export function createRateLimit(options: RateLimitOptions): { middleware: RequestHandler; store: BoundedRateLimitStore } {
  const { ipKeyGenerator, rateLimit } = loadRateLimit()
  const { windowSeconds, max, isPublished } = options
  const store = new BoundedRateLimitStore(options.maxKeys)
  const middleware = rateLimit({
    windowMs: windowSeconds * 1000,
    limit: max,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    store,
    // ipKeyGenerator groups an IPv6 client's /56, as one IPv6 host can use many addresses.
    keyGenerator: (req) => `${ipKeyGenerator(req.ip ?? '')} ${limitedPathOf(req, isPublished)}`,
    // Counted on arrival, given back when the answer is not a full one.
    skipFailedRequests: true,
    requestWasSuccessful: (_req, res) => res.statusCode < 300,
    handler: (req, res) => options.onLimited(req, res, `too many requests for ${req.path}; poll at most ${max} times per ${windowSeconds} s`),
  })
  return { middleware, store }
}

/** The URL a request is counted against: its normalized path when published, else the shared one. */
function limitedPathOf(req: Request, isPublished: (normalizedPath: string) => boolean): string {
  const path = normalizePath(req.path)
  if (path === undefined) return unknownPath
  const page = typeof req.query.page === 'string' && /^[1-9][0-9]{0,6}$/.test(req.query.page) ? Number(req.query.page) : 1
  const key = page > 1 ? `${path}?page=${page}` : path
  return isPublished(key) ? key : unknownPath
}
