// Entry of the parse worker when Creditline runs from its TypeScript sources (tsx, vitest).
// Node 20 does not apply a loader given to a worker with --import to the worker's own
// imports, so the worker registers tsx itself before importing the real module.
import { register } from 'tsx/esm/api'

register()
const worker = await import('./parse-worker.ts')

export default worker.default
