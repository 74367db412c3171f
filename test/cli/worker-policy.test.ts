import { describe, expect, it } from 'vitest'
import { chooseWorkerThreads } from '../../src/cli/worker-policy.js'

describe('chooseWorkerThreads', () => {
  it.each([
    // --jobs decides whenever there is work; 1 means the main thread.
    [4, { articles: 1, documents: 0 }, 8, 4],
    [1, { articles: 5000, documents: 20000 }, 8, 0],
    [4, { articles: 0, documents: 0 }, 8, 0],
    // check: workers once enough articles need rendering.
    [undefined, { articles: 299, documents: 0 }, 8, 0],
    [undefined, { articles: 300, documents: 0 }, 8, 8],
    // export: once articles and documents together pay for them.
    [undefined, { articles: 300, documents: 1199 }, 8, 0],
    [undefined, { articles: 300, documents: 1200 }, 8, 8],
    // One core: never.
    [undefined, { articles: 10000, documents: 50000 }, 1, 0],
  ] as const)('chooseWorkerThreads(%s, %o, cores %i) is %i', (jobs, work, cores, expected) => {
    expect(chooseWorkerThreads(jobs, work, cores)).toBe(expected)
  })
})
