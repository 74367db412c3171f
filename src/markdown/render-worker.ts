import { renderMarkdown, type RenderedBody } from './render-markdown.js'
import type { UrlContext } from './resolve-url.js'

// Piscina worker of the render pool (see render-pool.ts): one body per task, so that a
// body that takes too long or too much memory costs this thread, not the server's.

/** Render one Markdown body (already stripped of characters XML forbids). */
export function render({ markdown, context }: { markdown: string; context: UrlContext }): RenderedBody {
  return renderMarkdown(markdown, context)
}

/** Answer once the Markdown pipeline is loaded, so that loading it never counts against a time limit. */
export function ready(): true {
  return true
}
