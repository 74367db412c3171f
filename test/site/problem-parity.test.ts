import path from 'node:path'
import { pino } from 'pino'
import request from 'supertest'
import { afterEach, describe, expect, it } from 'vitest'
import { runCli } from '../../src/cli/main.js'
import { formatProblem } from '../../src/content/format-problem.js'
import type { ReportedProblem } from '../../src/site/content-problems.js'
import { captureIo } from '../cli/captured-io.js'
import { problemFolders } from '../fixtures/problem-folders.js'
import { article, createTestSite, type TestSite, testId } from '../helpers/test-site.js'
import { waitFor } from '../helpers/wait-for.js'

interface ProblemList {
  problems: ReportedProblem[]
}

// Every folder of the check tests: a problem `check` learns to find is one the server must list too.
describe('the server and check list the same problems', () => {
  let site: TestSite | undefined
  afterEach(async () => {
    await site?.dispose()
    site = undefined
  })

  it.each(problemFolders)('GET /status and check --json on $name', async ({ files, env, stderr }) => {
    site = await createTestSite(files, { env })
    await site.audit.checked
    const status = await request(site.app).get('/status').expect(200)
    const served = status.body as ProblemList & { pending: number }
    const io = captureIo(site.dir, env)
    await runCli(['check', '--json'], io)
    const checked = JSON.parse(io.out()) as ProblemList
    expect(served.pending).toBe(0)
    expect(served.problems).toEqual(checked.problems)
    // And both are what check prints: file, line, field, message and effect.
    expect(served.problems.map((problem) => formatProblem({ ...problem, file: `content/${problem.file}` }))).toEqual(stderr)
  })

  // The static export prints the same lines as check, then one warning that counts them.
  // Worker threads take seconds to start: one folder goes through them, the one whose pictures are missing.
  const exportRuns = [...problemFolders.map((folder) => ({ ...folder, jobs: 1 })), ...problemFolders.filter(({ name }) => name.includes('pictures do not exist')).map((folder) => ({ ...folder, jobs: 2 }))]

  it.each(exportRuns)('export --jobs $jobs prints the problems of check on $name', async ({ files, env, stderr, jobs }) => {
    site = await createTestSite(files, { env })
    const checked = captureIo(site.dir, env)
    await runCli(['check'], checked)
    const io = captureIo(site.dir, env)
    expect(await runCli(['export', '--out', path.join(site.dir, 'public'), '--jobs', String(jobs)], io)).toBe(0)
    const lines = io.err().split('\n').filter((line) => line !== '')
    // Warnings are listed, and only problems counted.
    const errors = stderr.filter((line) => !line.includes(': warning: ')).length
    expect(lines).toEqual(errors === 0 ? stderr : [...stderr, `warning: ${errors} problem${errors === 1 ? '' : 's'}; files held back are left out, as the server does (run creditline check)`])
    expect(lines.slice(0, stderr.length).join('\n')).toBe(checked.err().trimEnd())
  })

  it.each(problemFolders.filter(({ stderr }) => stderr.length > 0))('the start-up log holds the problems of GET /status on $name, each once', async ({ files, env }) => {
    const logged: Array<{ event?: string } & ReportedProblem> = []
    site = await createTestSite(files, { env, logger: pino({ level: 'warn' }, { write: (line: string) => void logged.push(JSON.parse(line) as { event?: string } & ReportedProblem) }) })
    await site.audit.checked
    const served = (await request(site.app).get('/status').expect(200)).body as ProblemList
    const problems = logged.filter((line) => line.event === 'problem').map(({ file, line, field, message, effect, severity }) => ({ file, ...(line === undefined ? {} : { line }), field, message, effect, ...(severity === undefined ? {} : { severity }) }))
    expect(problems).toEqual(served.problems)
  })

  it('a saved article whose pictures are missing is logged and listed at once, as check lists it', async () => {
    const logged: Array<{ event?: string; msg: string }> = []
    site = await createTestSite({ 'a.md': article({ id: testId(1) }) }, { watch: true, logger: pino({ level: 'warn' }, { write: (line: string) => void logged.push(JSON.parse(line) as { event?: string; msg: string }) }) })
    await site.audit.checked
    await site.write('b.md', article({ title: '"B"', image: '{ src: images/lead.svg, alt: "A lead", credit: "© AFP" }', id: testId(2) }, '![A box](images/box.svg "© Ada")\n'))
    const expected = [
      'b.md:4: image.src: image "images/lead.svg" not found: the content folder has no file "images/lead.svg" (published)',
      'b.md:8: body: image "https://news.example/media/images/box.svg" not found: the content folder has no file "images/box.svg" (published)',
    ]
    await waitFor(() => (logged.filter((line) => line.event === 'problem').length >= 2 ? true : undefined), { what: 'the problems of b.md in the log' })
    expect(logged.filter((line) => line.event === 'problem').map((line) => line.msg)).toEqual(expected)
    const served = (await request(site.app).get('/status').expect(200)).body as ProblemList
    expect(served.problems.map(formatProblem)).toEqual(expected)
    const io = captureIo(site.dir)
    await runCli(['check'], io)
    expect(io.err()).toBe(expected.map((line) => `content/${line}\n`).join(''))
    // The pictures arrive after their article: the problems go, without an edit of it.
    await site.write('images/lead.svg', '<svg xmlns="http://www.w3.org/2000/svg"/>')
    await site.write('images/box.svg', '<svg xmlns="http://www.w3.org/2000/svg"/>')
    const fixed = await waitFor(async () => {
      const current = (await request(site!.app).get('/status').expect(200)).body as ProblemList
      return current.problems.length === 0 ? current : undefined
    }, { what: 'the problems to go once the pictures are added' })
    expect(fixed.problems).toEqual([])
  })
})
