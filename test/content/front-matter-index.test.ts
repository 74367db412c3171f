import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ContentEntry } from '../../src/content/build-catalog.js'
import { parserVersion, type SavedIndex } from '../../src/content/front-matter-index.js'
import { loadContent } from '../../src/content/load-content.js'
import { readArticleBody } from '../../src/content/parse-article.js'
import { article } from '../helpers/test-site.js'

const defaults = { language: 'fr', author: { name: 'La rédaction' } }
const longAgo = new Date('2026-01-01T00:00:00Z')

function titles(entries: ContentEntry[]): Record<string, string | undefined> {
  return Object.fromEntries(entries.map((entry) => [entry.file, entry.article?.title]))
}

describe('loadContent(dir, defaults, { cacheDir }) keeps parsed front matter in an index', () => {
  let dir: string
  let contentDir: string
  let cacheDir: string

  /** Write an article and date it, as an editor's file from long ago. */
  async function put(file: string, text: string, modified = longAgo): Promise<void> {
    await writeFile(path.join(contentDir, file), text)
    await utimes(path.join(contentDir, file), modified, modified)
  }

  async function load(options: { cacheDir?: string; language?: string; savedAt?: number } = { cacheDir }) {
    const loaded = await loadContent(contentDir, { ...defaults, language: options.language ?? defaults.language }, { cacheDir: options.cacheDir })
    // As if saved a while later: a file's change time is always now, and an entry changed
    // in the last two seconds is not saved.
    loaded.saveIndex(options.savedAt ?? Date.now() + 60_000)
    return loaded
  }

  async function indexFiles(): Promise<string[]> {
    return (await readdir(cacheDir)).filter((name) => name.startsWith('front-matter-'))
  }

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'creditline-index-'))
    contentDir = path.join(dir, 'content')
    cacheDir = path.join(dir, 'cache')
    await mkdir(contentDir, { recursive: true })
    await put('a.md', article({ title: '"Premier"', tags: '[Commerce, Été]', summary: '"Résumé"' }, 'Corps A.\n'))
    await put('b.md', article({ title: '"Second"', updated: '2026-11-21T10:00:00+01:00' }, 'Corps B.\n'))
  })

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('gives the same articles from the index as from the files', async () => {
    const first = await load()
    expect(await indexFiles()).toHaveLength(1)
    const second = await load()
    expect(second.entries).toEqual(first.entries)
    expect(second.entries.map((entry) => entry.article && readArticleBody(entry.article))).toEqual(['\nCorps A.\n', '\nCorps B.\n'])
  })

  it('takes an unchanged file from the index, without reading it', async () => {
    await load()
    // Only the index can explain this title: the file says "Premier".
    const [name] = await indexFiles()
    const file = path.join(cacheDir, name!)
    const saved = JSON.parse(await readFile(file, 'utf8')) as SavedIndex
    saved.entries.find((entry) => entry.file === 'a.md')!.article.title = 'Dans l’index'
    await writeFile(file, JSON.stringify(saved))
    expect(titles((await load()).entries)).toEqual({ 'a.md': 'Dans l’index', 'b.md': 'Second' })
  })

  it('writes the index in ASCII and reads back accents, typographic quotes and emoji', async () => {
    await put('a.md', article({ title: '"Été « chaud » 🎧 — l’an 2026"', tags: '[Commerce, Été]', summary: '"Résumé"' }, 'Corps A.\n'))
    const first = await load()
    const [name] = await indexFiles()
    const file = path.join(cacheDir, name!)
    const bytes = await readFile(file)
    expect(bytes.every((byte) => byte < 0x80)).toBe(true)
    const saved = JSON.parse(bytes.toString('latin1')) as SavedIndex
    expect(saved.entries.find((entry) => entry.file === 'a.md')!.article.title).toBe('Été « chaud » 🎧 — l’an 2026')
    expect((await load()).entries).toEqual(first.entries)
    // Read from the index, not the file: a title only the index holds, written the same way.
    saved.entries.find((entry) => entry.file === 'b.md')!.article.title = 'Lu dans l’index 🎧'
    await writeFile(file, JSON.stringify(saved).replace(/[^\0-\x7f]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`))
    expect(titles((await load()).entries)).toEqual({ 'a.md': 'Été « chaud » 🎧 — l’an 2026', 'b.md': 'Lu dans l’index 🎧' })
  })

  it('parses a file again when it was rewritten with the same size and time (a restored backup)', async () => {
    await load()
    await put('a.md', article({ title: '"Pr3mier"', tags: '[Commerce, Été]', summary: '"Résumé"' }, 'Corps A.\n'))
    expect(titles((await load()).entries)['a.md']).toBe('Pr3mier')
  })

  it.each([
    ['a new modification time', async (put: (file: string, text: string, modified?: Date) => Promise<void>) => put('a.md', article({ title: '"Pr3mier"', tags: '[Commerce, Été]', summary: '"Résumé"' }, 'Corps A.\n'), new Date('2026-02-01T00:00:00Z'))],
    ['a new size', async (put: (file: string, text: string, modified?: Date) => Promise<void>) => put('a.md', article({ title: '"Pr3mier!"', tags: '[Commerce, Été]', summary: '"Résumé"' }, 'Corps A.\n'))],
  ])('parses a file again when it has %s', async (_name, change) => {
    await load()
    await change(put)
    expect(titles((await load()).entries)['a.md']).toMatch(/^Pr3mier/)
  })

  it('forgets a removed file and reports a new one', async () => {
    await load()
    await rm(path.join(contentDir, 'b.md'))
    await put('c.md', article({ title: '"Troisième"' }))
    expect(titles((await load()).entries)).toEqual({ 'a.md': 'Premier', 'c.md': 'Troisième' })
  })

  it('keeps no entry for a file changed in the last seconds, whose time may not change on its next edit', async () => {
    await put('b.md', article({ title: '"Second"' }), new Date())
    await load({ cacheDir, savedAt: Date.now() })
    await put('b.md', article({ title: '"S3cond"' }), new Date())
    expect(titles((await load()).entries)['b.md']).toBe('S3cond')
  })

  it('keeps no entry for a file with problems, and reports them again', async () => {
    await put('bad.md', article({ date: 'demain' }))
    await load()
    const entry = (await load()).entries.find((item) => item.file === 'bad.md')
    expect(entry?.article).toBeUndefined()
    expect(entry?.problems.map((problem) => problem.field)).toEqual(['date'])
  })

  /** An index's entries by file, with tags and authors in place of their positions. */
  const resolved = (text: string) => {
    const saved = JSON.parse(text) as SavedIndex
    return Object.fromEntries(
      saved.entries.map(({ file, article, ...identity }) => [file, { ...identity, ...article, tags: article.tags.map((at) => saved.tags[at]), authors: article.authors.map((at) => saved.authors[at]) }]),
    )
  }
  // Each damaged index also names "a.md" "Faux": had it been trusted, that title would show.
  const trusted = (text: string, change: (saved: SavedIndex) => void = () => {}) => {
    const saved = JSON.parse(text) as SavedIndex
    saved.entries.find((entry) => entry.file === 'a.md')!.article.title = 'Faux'
    change(saved)
    return JSON.stringify(saved)
  }
  it.each([
    ['cut short', (text: string) => trusted(text).slice(0, text.length / 2)],
    ['not JSON', (text: string) => `garbage${trusted(text)}`],
    ['of another version', (text: string) => trusted(text, (saved) => (saved.version = '0'))],
    ['with an entry for another file', (text: string) => trusted(text, (saved) => (saved.entries.find((entry) => entry.file === 'a.md')!.file = 'z.md'))],
    ['naming a tag it does not have', (text: string) => trusted(text, (saved) => saved.tags.pop())],
  ])('ignores an index %s, parses the files and writes a sound index', async (_name, damage) => {
    await load()
    const [name] = await indexFiles()
    const file = path.join(cacheDir, name!)
    const sound = await readFile(file, 'utf8')
    expect(damage(sound)).not.toBe(sound)
    await writeFile(file, damage(sound))
    expect(titles((await load()).entries)).toEqual({ 'a.md': 'Premier', 'b.md': 'Second' })
    expect(resolved(await readFile(file, 'utf8'))).toEqual(resolved(sound))
  })

  it('keeps one index per site defaults, which articles inherit', async () => {
    await load()
    const english = await load({ cacheDir, language: 'en' })
    expect(english.entries.map((entry) => entry.article?.lang)).toEqual(['en', 'en'])
    expect(await indexFiles()).toHaveLength(2)
  })

  it('writes nothing without a cache folder', async () => {
    await load({})
    await expect(readdir(cacheDir)).rejects.toThrow()
  })
})
