// Entry of the render worker when Creditline runs from its TypeScript sources (tsx, vitest):
// the worker registers tsx itself before importing the real module (see site-worker-tsx.mjs).
import { register } from 'tsx/esm/api'

register()
const worker = await import('./render-worker.ts')

export const render = worker.render
export const ready = worker.ready
