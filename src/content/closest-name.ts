/**
 * The known name an unknown one was most likely meant to be (`tag` → `tags`, `licence` →
 * `license`, `Titel` → `title`), or `undefined` when none is close: one edit for names of
 * up to four letters, two for longer ones. Case is ignored, since YAML keys are
 * case-sensitive and `Date:` is a typo too.
 */
export function findClosestName(name: string, known: ReadonlyArray<string>): string | undefined {
  const allowed = name.length <= 4 ? 1 : 2
  let best: { name: string; distance: number } | undefined
  for (const candidate of known) {
    if (Math.abs(candidate.length - name.length) > allowed) continue
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase())
    if (distance <= allowed && (best === undefined || distance < best.distance)) best = { name: candidate, distance }
  }
  return best?.name
}

/**
 * Edits (insert, delete, replace, swap two neighbours) that turn `a` into `b`: the
 * optimal string alignment distance. Written by hand (a dozen lines) rather than a
 * dependency, for field names of a few letters; the swap counts as one edit because
 * `titel` is one slip, not two.
 */
function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let distance = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) distance = Math.min(distance, rows[i - 2]![j - 2]! + 1)
      rows[i]![j] = distance
    }
  }
  return rows[a.length]![b.length]!
}
