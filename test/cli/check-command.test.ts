import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { runCli } from '../../src/cli/main.js'
import { article, createTestSite, type TestSite } from '../helpers/test-site.js'
import { problemFolders } from '../fixtures/problem-folders.js'
import { captureIo } from './captured-io.js'

describe('creditline check', () => {
  let site: TestSite | undefined
  afterEach(async () => {
    await site?.dispose()
    site = undefined
  })

  it.each(problemFolders)('check on $name', async ({ files, code, stdout, stderr }) => {
    site = await createTestSite(files)
    const io = captureIo(site.dir)
    expect(await runCli(['check'], io)).toBe(code)
    expect(io.out()).toBe(stdout)
    expect(io.err()).toBe(stderr.map((line) => `${line}\n`).join(''))
  })

  it('check --jobs 2 renders in worker threads and reports the same problems', async () => {
    const files = Object.assign({}, ...problemFolders.map((entry, index) => Object.fromEntries(Object.entries(entry.files).map(([file, text]) => [file.endsWith('.md') ? `case-${index}/${file}` : file, text]))))
    site = await createTestSite(files)
    const inProcess = captureIo(site.dir)
    const inWorkers = captureIo(site.dir)
    expect(await runCli(['check'], inProcess)).toBe(1)
    expect(await runCli(['check', '--jobs', '2'], inWorkers)).toBe(1)
    expect(inWorkers.err()).toBe(inProcess.err())
    expect(inWorkers.out()).toBe(inProcess.out())
  })

  it('check other (a folder argument) names files from the current directory', async () => {
    site = await createTestSite({})
    await mkdir(path.join(site.dir, 'other'))
    await writeFile(path.join(site.dir, 'other', 'a.md'), article({ date: '"soon"' }))
    const io = captureIo(site.dir)
    expect(await runCli(['check', 'other'], io)).toBe(1)
    expect(io.err()).toBe('other/a.md:3: date: expected an ISO 8601 date with time zone such as "2026-11-26T09:30:00+01:00", got "soon" (held back)\n')
  })

  it.each([
    { args: ['check', 'missing'], code: 1, stderr: 'creditline check: missing: no such content folder\n' },
    { args: ['check', 'a', 'b'], code: 2, stderr: 'creditline check: check takes one folder, got 2\n' },
    { args: ['check', '--strict'], code: 2, stderr: "creditline check: Unknown option '--strict'" },
  ])('runCli($args)', async ({ args, code, stderr }) => {
    site = await createTestSite({})
    const io = captureIo(site.dir)
    expect(await runCli(args, io)).toBe(code)
    expect(io.err().startsWith(stderr)).toBe(true)
  })
})
