import { fileURLToPath } from 'node:url'
import madge from 'madge'
import { describe, expect, it } from 'vitest'

// Data flows one way (README, Develop): a module never imports, even indirectly, one that imports it.
describe('the import graph of src/', () => {
  it('has no cycle (npm run cycles)', async () => {
    const graph = await madge(fileURLToPath(new URL('../src', import.meta.url)), { fileExtensions: ['ts'] })
    expect(graph.circular()).toEqual([])
  })
})
