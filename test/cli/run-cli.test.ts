import { readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { runCli, usage } from '../../src/cli/main.js'
import { testSiteSettings } from '../helpers/test-site.js'
import { captureIo } from './captured-io.js'

const root = fileURLToPath(new URL('../../', import.meta.url))

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

  it.each([['--version'], ['check', '--version'], ['export', '--version']])('runCli(%j) prints the version of package.json', async (...args) => {
    const io = captureIo(process.cwd())
    expect(await runCli(args, io)).toBe(0)
    expect(io.out()).toBe(`creditline ${(JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version}\n`)
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

  it.each([['check'], ['new', 'Un titre'], ['build', '--out', 'public']])('runCli(%j) with TRUST_PROXY=banana names the variable in one line, exit code 2', async (...args) => {
    const io = captureIo(process.cwd(), { TRUST_PROXY: 'banana' })
    expect(await runCli(args, io)).toBe(2)
    expect(io.err()).toMatch(/^creditline \w+: environment: TRUST_PROXY: expected a number of proxies, .*, got "banana"\n$/)
  })

  it.each([
    ['check', []],
    ['build', ['--out', 'public']],
  ])('runCli([%j]) with a file as CACHE_DIR warns and works without a disk cache', async (command, args) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'creditline-cli-cache-'))
    try {
      await writeFile(path.join(dir, 'creditline.config.json'), JSON.stringify({ site: testSiteSettings }))
      await writeFile(path.join(dir, 'not-a-folder'), '')
      const io = captureIo(dir, { CONTENT_DIR: path.join(root, 'content'), CACHE_DIR: path.join(dir, 'not-a-folder') })
      expect(await runCli([command, ...args], io)).toBe(0)
      expect(io.err().split('\n')[0]).toBe(`warning: CACHE_DIR: the cache folder ${path.join(dir, 'not-a-folder')} cannot be used (${path.join(dir, 'not-a-folder')} exists and is not a folder); running without a disk cache`)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
