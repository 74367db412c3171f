/** A line of progress on a terminal; does nothing when output is not a terminal. */
export interface Progress {
  /** Show `label done/total`, at most about ten times a second. */
  update(label: string, done: number, total: number): void
  /** Erase the line. */
  finish(): void
}

const intervalMs = 100

/**
 * Progress on `stream` when it is a terminal, so a pre-commit hook, CI log or pipe stays
 * quiet. The line is rewritten in place (`\r` + erase), never scrolled.
 */
export function createProgress(stream: { write(text: string): unknown; isTTY?: boolean }): Progress {
  if (!stream.isTTY) return { update() {}, finish() {} }
  let last = 0
  let shown = false
  return {
    update(label, done, total) {
      const now = Date.now()
      if (done < total && now - last < intervalMs) return
      last = now
      shown = true
      const percent = total === 0 ? 100 : Math.floor((done / total) * 100)
      stream.write(`\r\x1b[K${label} ${done}/${total} (${percent}%)`)
    },
    finish() {
      if (shown) stream.write('\r\x1b[K')
      shown = false
    },
  }
}
