import { describe, expect, it } from 'vitest'
import { runCli, usage } from '../../src/cli/main.js'
import { captureIo } from './captured-io.js'

describe('runCli', () => {
  it.each([
    { args: [], code: 2, stdout: '', stderr: usage },
    { args: ['--help'], code: 0, stdout: usage, stderr: '' },
    { args: ['publish'], code: 2, stdout: '', stderr: `creditline: unknown command "publish"\n\n${usage}` },
  ])('runCli($args) exits $code', async ({ args, code, stdout, stderr }) => {
    const io = captureIo(process.cwd())
    expect(await runCli(args, io)).toBe(code)
    expect(io.out()).toBe(stdout)
    expect(io.err()).toBe(stderr)
  })

  it.each(['check', 'build', 'new'])('runCli([%j, "--help"]) prints the command’s usage and exits 0', async (command) => {
    const io = captureIo(process.cwd())
    expect(await runCli([command, '--help'], io)).toBe(0)
    expect(io.out().startsWith(`Usage: creditline ${command}`)).toBe(true)
  })

  it('runCli reports a configuration it cannot use with exit code 2', async () => {
    const io = captureIo(process.cwd(), { CREDITLINE_CONFIG: 'missing.config.json' })
    expect(await runCli(['check'], io)).toBe(2)
    expect(io.err().startsWith('creditline check: ')).toBe(true)
    expect(io.err()).toContain('missing.config.json')
    expect(io.err()).not.toContain('Usage:')
  })

  it('runCli(["check"]) with FEED_SIZE=0 names the variable, not the file, in one line', async () => {
    const io = captureIo(process.cwd(), { FEED_SIZE: '0' })
    expect(await runCli(['check'], io)).toBe(2)
    expect(io.err()).toBe('creditline check: environment: FEED_SIZE (feed.size: Too small: expected number to be >=1, got 0)\n')
  })
})
