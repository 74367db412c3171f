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

  it.each([
    ['check', 'check'],
    ['export', 'export'],
    ['new', 'new'],
    ['build', 'export'],
  ])('runCli([%j, "--help"]) prints the usage of creditline %s and exits 0', async (command, shown) => {
    const io = captureIo(process.cwd())
    expect(await runCli([command, '--help'], io)).toBe(0)
    expect(io.out().startsWith(`Usage: creditline ${shown}`)).toBe(true)
  })

  it.each([
    { script: 'new', args: ['new', 'Titre'], npm: { npm_config_publish: 'true' } as Record<string, string>, stderr: 'creditline new: npm kept --publish for itself; put -- before the command\'s arguments: npm run new -- Titre --publish\n' },
    { script: 'export', args: ['export', 'public'], npm: { npm_config_out: 'true' } as Record<string, string>, stderr: 'creditline export: npm kept --out for itself; put -- before the command\'s arguments: npm run export -- public --out\n' },
    { script: 'check', args: ['check'], npm: { npm_config_json: 'true' } as Record<string, string>, stderr: 'creditline check: npm kept --json for itself; put -- before the command\'s arguments: npm run check -- --json\n' },
  ])('runCli($args) run by `npm run $script` with an option npm kept exits 2 and says where -- goes', async ({ script, args, npm, stderr }) => {
    const io = captureIo(process.cwd(), { npm_lifecycle_event: script, ...npm })
    expect(await runCli(args, io)).toBe(2)
    expect(io.err()).toBe(stderr)
  })

  it('runCli(["check", "--help"]) outside npm ignores npm_config_ variables', async () => {
    const io = captureIo(process.cwd(), { npm_config_json: 'true' })
    expect(await runCli(['check', '--help'], io)).toBe(0)
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
