import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listContentFiles, loadArticle, prepareParser } from '../../src/content/load-content.js'
import { readArticleBody } from '../../src/content/article-body.js'
import { parseArticle } from '../../src/content/parse-article.js'
import { article } from '../helpers/test-site.js'

const defaults = { language: 'fr', author: { name: 'La rédaction' } }
// Front matter longer than one 4 KiB read, with a two-byte character on every byte offset.
const longSummary = `"${'é'.repeat(2100)}a"`

describe('loadArticle(dir, file, defaults) reads the front matter only, and the body on demand', () => {
  let dir: string
  beforeAll(async () => {
    await prepareParser()
    dir = await mkdtemp(path.join(tmpdir(), 'creditline-load-'))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it.each([
    ['a short article', article({}, 'Un **paragraphe**.\n')],
    ['front matter longer than one read', article({ summary: longSummary }, 'Corps.\n')],
    ['front matter longer than one read, with a multibyte character across the boundary', article({ summary: `"a${'é'.repeat(2100)}"` }, 'Corps.\n')],
    ['a body with a rule (---) and a long text', article({}, `Avant.\n\n---\n\n${'Après, ligne ç. '.repeat(5000)}\n`)],
    ['CRLF line ends', article({}, 'Un paragraphe.\r\n').replaceAll('\n', '\r\n')],
    ['a closing line with more dashes', article({}, 'Corps.\n').replace('\n---\n', '\n----\n')],
    ['no body at all', article({}, '')],
    ['a file that ends right after the closing line without a line break', article({}, '').trimEnd()],
  ])('%s: same article as parsing the whole file, body read later', async (_name, text) => {
    const file = `${_name.replaceAll(/[^a-z]+/g, '-')}.md`
    await writeFile(path.join(dir, file), text)
    const whole = parseArticle(file, text, defaults)
    const entry = loadArticle(dir, file, defaults)
    expect(whole.ok).toBe(true)
    expect(entry.problems).toEqual([])
    if (!whole.ok || !entry.article) return
    const { body: _wholeBody, ...wholeFields } = whole.article
    const { body: _loadedBody, fileModified, fileSize: _fileSize, sourcePath, ...loadedFields } = entry.article
    expect(loadedFields).toEqual(wholeFields)
    expect(sourcePath).toBe(path.join(dir, file))
    expect(fileModified).toBeInstanceOf(Date)
    expect(readArticleBody(entry.article)).toBe(whole.article.body)
  })

  it.each([
    ['no front matter', 'Just text, no front matter.\n', 'front matter'],
    ['a front matter that never closes', '---\ntitle: "Open"\ndate: 2026-11-20T10:00:00+01:00\n\nBody.\n', 'front matter'],
    ['a bad date in a long front matter', article({ summary: longSummary, date: 'tomorrow' }), 'date'],
  ])('%s: the same problem as parsing the whole file', async (_name, text, field) => {
    const file = `${_name.replaceAll(/[^a-z]+/g, '-')}.md`
    await writeFile(path.join(dir, file), text)
    const whole = parseArticle(file, text, defaults)
    const entry = loadArticle(dir, file, defaults)
    expect(whole.ok).toBe(false)
    expect(entry.article).toBeUndefined()
    expect(entry.problems.map((problem) => problem.field)).toContain(field)
    if (!whole.ok) expect(entry.problems).toEqual(whole.problems)
  })

  it('loadArticle(dir, file, defaults, { withBody: true }) keeps the body, which later edits of the file do not change', async () => {
    const file = 'kept.md'
    await writeFile(path.join(dir, file), article({}, 'Première version.\n'))
    const entry = loadArticle(dir, file, defaults, { withBody: true })
    await writeFile(path.join(dir, file), article({}, 'Seconde version.\n'))
    expect(entry.article && readArticleBody(entry.article)).toBe('\nPremière version.\n')
  })

  it.each([
    ['a new size', (text: string) => `${text}Ajout.\n`, undefined],
    ['the same size but a new modification time', (text: string) => text.replace('Corps', 'Cœur'.slice(0, 1) + 'orps'), new Date('2026-03-01T00:00:00Z')],
  ])('readArticleBody(article) refuses a file that has %s since its front matter was read', async (_name, change, modified) => {
    const file = 'changing.md'
    const text = article({}, 'Corps.\n')
    await writeFile(path.join(dir, file), text)
    await utimes(path.join(dir, file), new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z'))
    const entry = loadArticle(dir, file, defaults)
    await writeFile(path.join(dir, file), change(text))
    if (modified) await utimes(path.join(dir, file), modified, modified)
    expect(() => readArticleBody(entry.article!)).toThrow('the file changed since its front matter was read')
  })

  it('loadArticle(dir, missing, defaults) reports the file, not a crash', () => {
    const entry = loadArticle(dir, 'missing.md', defaults)
    expect(entry.article).toBeUndefined()
    expect(entry.problems).toEqual([{ file: 'missing.md', line: 1, field: 'file', message: expect.stringContaining('cannot be read') }])
  })
})

describe('listContentFiles(dir)', () => {
  it('lists articles and media at any depth, and leaves out hidden folders and editors’ swap and backup files', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'creditline-list-'))
    const files = ['a.md', 'images/photo.jpg', '2026/11/b.md', '2026/11/images/c.png', '.git/HEAD', '.drafts/x.md', '2026/.cache/y.md', '.#a.md', 'a.md~', '2026/.b.md.swp', '#a.md#']
    for (const file of files) {
      await mkdir(path.dirname(path.join(dir, file)), { recursive: true })
      await writeFile(path.join(dir, file), 'x')
    }
    try {
      expect(await listContentFiles(dir)).toEqual({ articles: ['2026/11/b.md', 'a.md'], media: ['2026/11/images/c.png', 'images/photo.jpg'], links: [] })
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
