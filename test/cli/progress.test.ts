import { describe, expect, it } from 'vitest'
import { createProgress } from '../../src/cli/progress.js'

function stream(isTTY: boolean) {
  let written = ''
  return { isTTY, write: (text: string) => (written += text), written: () => written }
}

describe('createProgress', () => {
  it('createProgress(terminal) rewrites one line in place and erases it at the end', () => {
    const terminal = stream(true)
    const progress = createProgress(terminal)
    progress.update('writing files', 1, 4)
    // The last step is always shown, however soon it comes.
    progress.update('writing files', 4, 4)
    progress.finish()
    expect(terminal.written()).toBe('\r\x1b[Kwriting files 1/4 (25%)\r\x1b[Kwriting files 4/4 (100%)\r\x1b[K')
  })

  it('createProgress(pipe) writes nothing', () => {
    const pipe = stream(false)
    const progress = createProgress(pipe)
    progress.update('writing files', 1, 1)
    progress.finish()
    expect(pipe.written()).toBe('')
  })
})
