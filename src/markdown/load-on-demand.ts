import { createRequire } from 'node:module'

/**
 * A module loaded the first time it is needed, synchronously: `require()` of an ES module
 * (Node 20.19 and later). For modules that cost start-up time and that many runs never
 * need, such as remark with its plugins when every render comes from the cache.
 *
 * @param specifier the module, relative to `from`
 * @param from `import.meta.url` of the module asking
 * @param preloaded the module, when the caller had to import it already: from TypeScript
 *   sources (tsx, vitest) `require()` cannot load it, so they import it up front
 */
export function loadOnDemand<T>(specifier: string, from: string, preloaded: T | undefined): () => T {
  let loaded = preloaded
  return () => {
    loaded ??= createRequire(from)(specifier) as T
    return loaded
  }
}

/** Whether this code runs from its TypeScript sources (tsx, vitest) rather than compiled. */
export function isTypeScriptSource(url: string): boolean {
  return url.endsWith('.ts')
}
