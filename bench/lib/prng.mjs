/**
 * A seeded pseudo-random generator for the benchmark corpus.
 *
 * Written by hand (mulberry32, about ten lines) because `Math.random` cannot be seeded and
 * no seeded generator is among the project's dependencies; the corpus must be the same
 * bytes on every run and every machine, or two entries of the benchmark history would not
 * measure the same work. Statistical quality is irrelevant here, only repeatability.
 */

/**
 * Create a generator from a 32-bit seed.
 *
 * @param {number} seed any integer
 * @returns {Random}
 */
export function createRandom(seed) {
  let state = seed >>> 0
  /** @returns {number} a float in [0, 1) */
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  /** @type {Random} */
  const random = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (probability) => next() < probability,
    pick: (items) => items[Math.floor(next() * items.length)],
    sample: (items, count) => {
      const pool = [...items]
      const out = []
      while (out.length < count && pool.length > 0) out.push(pool.splice(Math.floor(next() * pool.length), 1)[0])
      return out
    },
  }
  return random
}

/**
 * @typedef {object} Random
 * @property {() => number} next float in [0, 1)
 * @property {(min: number, max: number) => number} int integer in [min, max]
 * @property {(probability: number) => boolean} chance true with the given probability
 * @property {<T>(items: readonly T[]) => T} pick one element
 * @property {<T>(items: readonly T[], count: number) => T[]} sample distinct elements, in random order
 */
