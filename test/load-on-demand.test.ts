import { describe, expect, it } from 'vitest'
import { isTypeScriptSource, loadOnDemand } from '../src/load-on-demand.js'

const evaluations = () => (globalThis as { onDemandEvaluations?: number }).onDemandEvaluations ?? 0

describe('loadOnDemand(specifier, from, preloaded)', () => {
  it('loads an ES module synchronously on the first call only, as the compiled service does', () => {
    const load = loadOnDemand<{ answer: number }>('./fixtures/on-demand-module.mjs', import.meta.url, undefined)
    expect(evaluations()).toBe(0)
    expect(load().answer).toBe(42)
    expect(load().answer).toBe(42)
    expect(evaluations()).toBe(1)
  })

  it('returns the preloaded module without loading anything', () => {
    const preloaded = { answer: 7 }
    expect(loadOnDemand('./does-not-exist.mjs', import.meta.url, preloaded)()).toBe(preloaded)
  })

  it.each([
    ['file:///srv/creditline/src/markdown/render-article.ts', true],
    ['file:///srv/creditline/dist/markdown/render-article.js', false],
  ])('isTypeScriptSource(%s) is %s', (url, expected) => {
    expect(isTypeScriptSource(url)).toBe(expected)
  })
})
