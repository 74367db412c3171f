import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { runCli } from '../../src/cli/main.js'
import { article, createTestSite, type TestSite } from '../helpers/test-site.js'
import { captureIo } from './captured-io.js'

const svg = '<svg xmlns="http://www.w3.org/2000/svg"/>\n'
const credited = '{ src: images/ok.svg, alt: "A box", credit: "Ada Martin" }'

interface CheckCase {
  name: string
  files: Record<string, string>
  code: number
  stdout: string
  stderr: string[]
}

const cases: CheckCase[] = [
  {
    name: 'a valid folder',
    files: { 'a.md': article(), 'b.md': article({ title: '"B"', image: credited }, '![A box](images/ok.svg "© Ada Martin")\n'), 'images/ok.svg': svg },
    code: 0,
    stdout: '2 articles checked, no problems\n',
    stderr: [],
  },
  {
    name: 'an empty folder',
    files: {},
    code: 0,
    stdout: '0 articles checked, no problems\n',
    stderr: [],
  },
  {
    name: 'a date without a time zone',
    files: { 'a.md': article({ date: '2026-11-20' }) },
    code: 1,
    stdout: '1 article checked, 1 problem in 1 file\n',
    stderr: ['content/a.md:3: date: expected an ISO 8601 date with time zone such as "2026-11-26T09:30:00+01:00", got "2026-11-20"'],
  },
  {
    name: 'two published articles with one slug',
    files: { 'a.md': article({ slug: 'same' }), 'b.md': article({ slug: 'same' }) },
    code: 1,
    stdout: '2 articles checked, 1 problem in 1 file\n',
    stderr: ['content/b.md: slug: duplicate slug "same", already used by a.md; this file is not published'],
  },
  {
    name: 'a draft that shares a published slug',
    files: { 'a.md': article({ slug: 'same' }), 'b.md': article({ slug: 'same', draft: 'true' }) },
    code: 1,
    stdout: '2 articles checked, 1 problem in 1 file\n',
    stderr: ['content/b.md: slug: duplicate slug "same", also used by a.md; this draft cannot be published under it'],
  },
  {
    name: 'a scheduled article with an uncredited, missing picture',
    files: { 'later.md': article({ date: '2027-01-01T00:00:00Z' }, 'Text\n\n![](images/x.svg)\n') },
    code: 1,
    stdout: '1 article checked, 3 problems in 1 file\n',
    stderr: [
      'content/later.md:8: body: image "https://news.example/media/images/x.svg" has no credit; write it as the image title: ![alt text](src "© Holder")',
      'content/later.md:8: body: image "https://news.example/media/images/x.svg" has no alt text; describe the picture: ![what it shows](src "© Holder")',
      'content/later.md:8: body: image "https://news.example/media/images/x.svg" not found: the content folder has no file "images/x.svg"',
    ],
  },
  {
    name: 'a lead image that does not exist',
    files: { 'a.md': article({ image: '{ src: images/nope.svg, alt: "A", credit: "B" }' }) },
    code: 1,
    stdout: '1 article checked, 1 problem in 1 file\n',
    stderr: ['content/a.md:4: image.src: image "images/nope.svg" not found: the content folder has no file "images/nope.svg"'],
  },
  {
    name: 'a body picture of a subfolder, resolved against the article file',
    files: { 'news/a.md': article({}, 'One.\n\n![A box](images/ok.svg "© B")\n'), 'images/ok.svg': svg },
    code: 1,
    stdout: '1 article checked, 1 problem in 1 file\n',
    stderr: ['content/news/a.md:8: body: image "https://news.example/media/news/images/ok.svg" not found: the content folder has no file "news/images/ok.svg"'],
  },
  {
    // testNow is 2026-11-26T12:00:00Z: a wrong offset puts this update two hours ahead.
    name: 'an updated: later than now',
    files: { 'a.md': article({ updated: '2026-11-26T14:00:00Z' }) },
    code: 1,
    stdout: '1 article checked, 1 problem in 1 file\n',
    stderr: ['content/a.md:4: updated: 2026-11-26T14:00:00.000Z is later than now (2026-11-26T12:00:00.000Z); expected the time of the last change'],
  },
  {
    name: 'front matter that is not YAML',
    files: { 'a.md': '---\ntitle: [unclosed\ndate: 2026-11-20T10:00:00Z\n---\n\nText\n' },
    code: 1,
    stdout: '1 article checked, 1 problem in 1 file\n',
    stderr: ['content/a.md:3: front matter: invalid YAML: missed comma between flow collection entries'],
  },
]

describe('creditline check', () => {
  let site: TestSite | undefined
  afterEach(async () => {
    await site?.dispose()
    site = undefined
  })

  it.each(cases)('check on $name', async ({ files, code, stdout, stderr }) => {
    site = await createTestSite(files)
    const io = captureIo(site.dir)
    expect(await runCli(['check'], io)).toBe(code)
    expect(io.out()).toBe(stdout)
    expect(io.err()).toBe(stderr.map((line) => `${line}\n`).join(''))
  })

  it('check --jobs 2 renders in worker threads and reports the same problems', async () => {
    const files = Object.assign({}, ...cases.map((entry, index) => Object.fromEntries(Object.entries(entry.files).map(([file, text]) => [file.endsWith('.md') ? `case-${index}/${file}` : file, text]))))
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
    expect(io.err()).toBe('other/a.md:3: date: expected an ISO 8601 date with time zone such as "2026-11-26T09:30:00+01:00", got "soon"\n')
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
