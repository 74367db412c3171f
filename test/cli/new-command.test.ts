import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { runCli } from '../../src/cli/main.js'
import { formatDateTimeWithOffset } from '../../src/cli/new-command.js'
import { parseArticle } from '../../src/content/parse-article.js'
import { article, createTestSite, testSiteSettings, type TestSite } from '../helpers/test-site.js'
import { captureIo } from './captured-io.js'

const defaults = { language: testSiteSettings.language, author: testSiteSettings.author }

describe('creditline new', () => {
  let site: TestSite | undefined
  afterEach(async () => {
    await site?.dispose()
    site = undefined
  })

  it.each([
    { title: 'Pourquoi chaque photo mérite sa légende', file: 'pourquoi-chaque-photo-merite-sa-legende.md' },
    { title: '« Ratatouille » : Amazon, yes: #1', file: 'ratatouille-amazon-yes-1.md' },
    // A title that starts with a dash comes after `--`, as for any command.
    { title: '- true', file: 'true.md' },
    { title: '2026', file: '2026.md' },
    { title: `"Quoted" and 'single' \\ back`, file: 'quoted-and-single-back.md' },
  ])('new -- $title writes $file, and check then passes', async ({ title, file }) => {
    site = await createTestSite({})
    const io = captureIo(site.dir)
    expect(await runCli(['new', '--', title], io)).toBe(0)
    expect(io.out()).toBe(`content/${file}\n`)
    const result = parseArticle(file, await readFile(path.join(site.contentDir, file), 'utf8'), defaults)
    if (!result.ok) throw new Error(JSON.stringify(result.problems))
    expect(result.article).toMatchObject({ title, slug: file.replace(/\.md$/, ''), lang: 'fr', draft: true, authors: [{ name: 'La rédaction' }] })
    expect(result.article.date.toISOString()).toBe('2026-11-26T12:00:00.000Z')
    const check = captureIo(site.dir)
    expect(await runCli(['check'], check)).toBe(0)
    expect(check.out()).toBe('1 article checked, no problems\n')
  })

  it('new writes the date with the zone offset, not Z', async () => {
    site = await createTestSite({})
    expect(await runCli(['new', 'Un titre'], captureIo(site.dir, {}, new Date('2026-11-26T12:34:56.789Z')))).toBe(0)
    // vitest runs in UTC (vitest.config.ts), so the offset is +00:00.
    const text = await readFile(path.join(site.contentDir, 'un-titre.md'), 'utf8')
    // A new id each time: the rest of the file is fixed.
    expect(text.replace(/^id: urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\n/m, 'id: <uuid>\n')).toBe(
      '---\nid: <uuid>\ntitle: Un titre\ndate: 2026-11-26T12:34:56+00:00\nauthor: La rédaction\nlang: fr\ntags: []\ndraft: true\n---\n\nWrite the article here. Credit every picture in its title: `![What it shows](images/picture.jpg "© Holder")`.\n',
    )
  })

  it('new gives each article its own permanent id', async () => {
    site = await createTestSite({})
    const { dir, contentDir } = site
    expect(await runCli(['new', 'Un titre'], captureIo(dir))).toBe(0)
    expect(await runCli(['new', 'Un autre titre'], captureIo(dir))).toBe(0)
    const ids = await Promise.all(['un-titre.md', 'un-autre-titre.md'].map(async (file) => {
      const result = parseArticle(file, await readFile(path.join(contentDir, file), 'utf8'), defaults)
      return result.ok ? result.article.id : undefined
    }))
    expect(ids.every((id) => /^urn:uuid:[0-9a-f-]{36}$/.test(id ?? ''))).toBe(true)
    expect(ids[0]).not.toBe(ids[1])
  })

  it('new --publish leaves draft out', async () => {
    site = await createTestSite({})
    expect(await runCli(['new', 'Un titre', '--publish'], captureIo(site.dir))).toBe(0)
    const result = parseArticle('un-titre.md', await readFile(path.join(site.contentDir, 'un-titre.md'), 'utf8'), defaults)
    expect(result.ok && result.article.draft).toBe(false)
  })

  it('new refuses to overwrite an existing file', async () => {
    site = await createTestSite({ 'un-titre.md': article({ title: '"Mine"' }) })
    const io = captureIo(site.dir)
    expect(await runCli(['new', 'Un titre'], io)).toBe(1)
    expect(io.err()).toBe('creditline new: content/un-titre.md already exists; it was left as it is\n')
    expect(await readFile(path.join(site.contentDir, 'un-titre.md'), 'utf8')).toBe(article({ title: '"Mine"' }))
  })

  it('new refuses a slug another file already claims', async () => {
    site = await createTestSite({ 'other.md': article({ slug: 'un-titre' }) })
    const io = captureIo(site.dir)
    expect(await runCli(['new', 'Un titre'], io)).toBe(1)
    expect(io.err()).toBe('creditline new: the slug "un-titre" is already used by content/other.md; choose another title\n')
  })

  it.each([
    { args: ['new'], stderr: 'creditline new: new takes one title (quote it), got 0 arguments\n' },
    { args: ['new', 'Un', 'titre'], stderr: 'creditline new: new takes one title (quote it), got 2 arguments\n' },
    { args: ['new', '!!!'], stderr: 'creditline new: no slug can be made of the title "!!!"; use letters or digits\n' },
  ])('runCli($args) exits 2', async ({ args, stderr }) => {
    site = await createTestSite({})
    const io = captureIo(site.dir)
    expect(await runCli(args, io)).toBe(2)
    expect(io.err().startsWith(stderr)).toBe(true)
  })
})

describe('formatDateTimeWithOffset', () => {
  const instant = new Date('2026-11-26T09:30:15.999Z')
  it.each([
    [0, '2026-11-26T09:30:15+00:00'],
    [60, '2026-11-26T10:30:15+01:00'],
    [-300, '2026-11-26T04:30:15-05:00'],
    [330, '2026-11-26T15:00:15+05:30'],
    [-570, '2026-11-26T00:00:15-09:30'],
    [840, '2026-11-26T23:30:15+14:00'],
  ])('formatDateTimeWithOffset(2026-11-26T09:30:15.999Z, %i) is %s', (offset, expected) => {
    const text = formatDateTimeWithOffset(instant, offset)
    expect(text).toBe(expected)
    // The same instant, to the second.
    expect(new Date(text).getTime()).toBe(Math.floor(instant.getTime() / 1000) * 1000)
  })
})
