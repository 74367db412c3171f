import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { runCli } from '../../src/cli/main.js'
import { article, createTestSite, type TestSite, testId } from '../helpers/test-site.js'
import { problemFolders } from '../fixtures/problem-folders.js'
import { captureIo } from './captured-io.js'

describe('creditline check', () => {
  let site: TestSite | undefined
  afterEach(async () => {
    await site?.dispose()
    site = undefined
  })

  it.each(problemFolders)('check on $name', async ({ files, env, code, stdout, stderr }) => {
    site = await createTestSite(files, { env })
    const io = captureIo(site.dir, env)
    expect(await runCli(['check'], io)).toBe(code)
    expect(io.out()).toBe(stdout)
    expect(io.err()).toBe(stderr.map((line) => `${line}\n`).join(''))
  })

  it.each(problemFolders)('check --json on $name counts errors and warnings apart', async ({ files, env, code, stderr }) => {
    site = await createTestSite(files, { env })
    const io = captureIo(site.dir, env)
    expect(await runCli(['check', '--json'], io)).toBe(code)
    const { errors, warnings, problems } = JSON.parse(io.out()) as { errors: number; warnings: number; problems: unknown[] }
    const warned = stderr.filter((line) => / warning: /.test(line)).length
    expect({ errors, warnings, problems: problems.length }).toEqual({ errors: stderr.length - warned, warnings: warned, problems: stderr.length })
  })

  it('check --jobs 2 renders in worker threads and reports the same problems', async () => {
    const files = Object.assign({}, ...problemFolders.map((entry, index) => Object.fromEntries(Object.entries(entry.files).map(([file, text]) => [file.endsWith('.md') ? `case-${index}/${file}` : file, text]))))
    // The render limits too: a body that fails them is not rendered again by the workers.
    const env = Object.assign({}, ...problemFolders.map((entry) => entry.env)) as Record<string, string>
    site = await createTestSite(files, { env })
    const inProcess = captureIo(site.dir, env)
    const inWorkers = captureIo(site.dir, env)
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
    { args: ['content/b.md'], out: '1 article checked, 1 problem in 1 file\n', err: ['content/b.md:3: date: expected an ISO 8601 date with time zone such as "2026-11-26T09:30:00+01:00", got "soon" (held back)'] },
    { args: ['content/a.md'], out: '1 article checked, no problems\n', err: [] },
    { args: ['content/c.md'], out: '1 article checked, 1 problem in 1 file\n', err: ['content/c.md:4: slug: duplicate slug "a", already used by a.md; this file is not published (held back)'] },
    { args: ['content/a.md', 'content/c.md'], out: '2 articles checked, 1 problem in 1 file\n', err: ['content/c.md:4: slug: duplicate slug "a", already used by a.md; this file is not published (held back)'] },
  ])('check $args reports the problems of those files only, checked against the whole folder', async ({ args, out, err }) => {
    site = await createTestSite({ 'a.md': article({ title: '"A"', id: testId(1) }), 'b.md': article({ date: '"soon"', id: testId(2) }), 'c.md': article({ title: '"A"', slug: 'a', id: testId(3) }) })
    const io = captureIo(site.dir)
    expect(await runCli(['check', ...args], io)).toBe(err.length === 0 ? 0 : 1)
    expect(io.out()).toBe(out)
    expect(io.err()).toBe(err.map((line) => `${line}\n`).join(''))
  })

  it.each([
    { args: ['check', 'missing'], code: 1, stderr: 'creditline check: missing: no such content folder\n' },
    { args: ['check', 'a.md', 'b.md'], code: 1, stderr: 'creditline check: a.md: no such file\n' },
    { args: ['check', 'content', 'creditline.config.json'], code: 2, stderr: 'creditline check: check takes one folder, or files of the content folder, not both\n' },
    { args: ['check', 'creditline.config.json'], code: 2, stderr: 'creditline check: creditline.config.json is not an article of the content folder content\n' },
    { args: ['check'], code: 1, stderr: 'creditline check: content: no article to check (a Markdown file with front matter, such as one `creditline new` writes)\n' },
    { args: ['check', '--strict'], code: 2, stderr: "creditline check: Unknown option '--strict'" },
  ])('runCli($args)', async ({ args, code, stderr }) => {
    site = await createTestSite({})
    const io = captureIo(site.dir)
    expect(await runCli(args, io)).toBe(code)
    expect(io.err().startsWith(stderr)).toBe(true)
  })
})
