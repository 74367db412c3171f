import { fileURLToPath } from 'node:url'
import { Piscina } from 'piscina'
import type { RenderedBody } from './render-markdown.js'
import type { UrlContext } from './resolve-url.js'

/** What rendering one body off the main thread may cost. */
export interface RenderLimits {
  /** Seconds the render itself may take (starting the thread is not counted). */
  maxSeconds: number
  /** Heap of the thread that renders, in MB (V8's old generation). */
  maxMB: number
}

/** The limits of `content.maxRenderSeconds` and `content.maxRenderMB` when nothing sets them. */
export const defaultRenderLimits: RenderLimits = { maxSeconds: 10, maxMB: 512 }

/** The limits the configuration sets. */
export function renderLimitsOf(config: { content: { maxRenderSeconds: number; maxRenderMB: number } }): RenderLimits {
  return { maxSeconds: config.content.maxRenderSeconds, maxMB: config.content.maxRenderMB }
}

/** How a render off the main thread ended. */
export type RenderOutcome = { body: RenderedBody } | { exceeded: 'time' | 'memory' } | { error: string }

/** A thread that renders bodies one at a time, each within `RenderLimits`. */
export interface RenderPool {
  /** Render `markdown`; never rejects, except once the pool is closed. */
  render(markdown: string, context: UrlContext): Promise<RenderOutcome>
  /** Stop the thread; renders under way reject. */
  close(): Promise<void>
}

// An idle thread holds the Markdown pipeline (tens of MB): it goes after this long, and
// the next large body starts another (a few hundred milliseconds).
const idleTimeoutMs = 30_000

/**
 * One worker thread (piscina) for the bodies too large to render on the main thread:
 * one at a time, so at most one render's memory is ever spent, and a request waits
 * behind at most the render under way. A render that passes its time is stopped by
 * terminating the thread (a synchronous render cannot be interrupted otherwise); one
 * that passes its heap limit dies of it (`resourceLimits`); either way the next render
 * gets a new thread.
 */
export function createRenderPool(limits: RenderLimits): RenderPool {
  let pool: Piscina | undefined
  let closed = false
  // Renders in order, one at a time: each waits for the one before it to end.
  let lane: Promise<unknown> = Promise.resolve()
  const threadOf = () =>
    (pool ??= new Piscina({ filename: workerFile(), minThreads: 0, maxThreads: 1, idleTimeout: idleTimeoutMs, resourceLimits: { maxOldGenerationSizeMb: limits.maxMB } }))

  const renderNow = async (markdown: string, context: UrlContext): Promise<RenderOutcome> => {
    if (closed) throw new RenderPoolClosedError()
    const thread = threadOf()
    const stop = new AbortController()
    let timer: NodeJS.Timeout | undefined
    try {
      // Loading the pipeline in a new thread is not the body's cost: the clock starts after it.
      await thread.run(null, { name: 'ready' })
      timer = setTimeout(() => stop.abort(), limits.maxSeconds * 1000)
      return { body: (await thread.run({ markdown, context }, { name: 'render', signal: stop.signal })) as RenderedBody }
    } catch (error) {
      if (closed) throw new RenderPoolClosedError()
      if (stop.signal.aborted) return { exceeded: 'time' }
      if ((error as { code?: unknown }).code === 'ERR_WORKER_OUT_OF_MEMORY') return { exceeded: 'memory' }
      return { error: (error as Error).message }
    } finally {
      clearTimeout(timer)
    }
  }

  return {
    render(markdown, context) {
      const outcome = lane.then(() => renderNow(markdown, context))
      lane = outcome.catch(() => undefined)
      return outcome
    },
    async close() {
      closed = true
      await pool?.destroy()
    },
  }
}

/** A render asked of, or under way in, a pool that was closed. */
export class RenderPoolClosedError extends Error {
  constructor() {
    super('the render pool is closed')
  }
}

/** The worker module next to this one; from TypeScript sources, a bootstrap that registers tsx in the worker first. */
function workerFile(): string {
  const typescript = import.meta.url.endsWith('.ts')
  return fileURLToPath(new URL(typescript ? './render-worker-tsx.mjs' : './render-worker.js', import.meta.url))
}
