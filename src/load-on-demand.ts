import { createRequire } from 'node:module'

/**
 * A module loaded the first time it is needed, synchronously: `require()` (of an ES module
 * too, from Node 20.19). The one way to defer a module that costs start-up time and that
 * many runs never need: remark with its plugins when every render comes from the cache,
 * `yaml` until a front matter has a problem, `iconv-lite` until a control character,
 * `pino-pretty` outside development, `express-rate-limit` while the limit is off.
 *
 * @param specifier the module, relative to `from`
 * @param from `import.meta.url` of the module asking
 * @param preloaded the module, when the caller had to import it already: from TypeScript
 *   sources (tsx, vitest) `require()` cannot load one of our own modules, so they import
 *   it up front (packages need none)
 */
export function loadOnDemand<T>(specifier: string, from: string, preloaded?: T): () => T {
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
