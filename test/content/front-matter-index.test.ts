import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { crc32 } from 'node:zlib'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ContentEntry } from '../../src/content/catalog.js'
import type { SavedIndex } from '../../src/content/front-matter-index-file.js'
import { decodeIndex, encodeSavedIndex } from '../helpers/front-matter-index-codec.js'
import { loadContent } from '../../src/content/load-content.js'
import { readArticleBody } from '../../src/content/article-body.js'
import { article } from '../helpers/test-site.js'

const defaults = { language: 'fr', author: { name: 'La rédaction' } }
const longAgo = new Date('2026-01-01T00:00:00Z')

function titles(entries: ContentEntry[]): Record<string, string | undefined> {
  return Object.fromEntries(entries.map((entry) => [entry.file, entry.article?.title]))
}

/** Every field of each entry's article, read one by one: an article from the index reads some of them on demand. */
function fieldsOf(entries: ContentEntry[]) {
  return entries.map(({ article, ...entry }) => ({
    ...entry,
    article: article && {
      file: article.file,
      slug: article.slug,
      title: article.title,
      date: article.date,
      updated: article.updated,
      authors: article.authors,
      summary: article.summary,
      lang: article.lang,
      tags: article.tags,
      image: article.image,
      sources: article.sources,
      draft: article.draft,
      body: article.body,
      bodyLine: article.bodyLine,
      fileModified: article.fileModified,
      fileSize: article.fileSize,
      sourcePath: article.sourcePath,
    },
  }))
}

/** The index file of `file`, as its entries and their details. */
async function readIndex(file: string): Promise<SavedIndex> {
  const saved = decodeIndex(await readFile(file, 'latin1'))
  if (!saved) throw new Error(`${file} is not an index`)
  return saved
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
    expect(fieldsOf(second.entries)).toEqual(fieldsOf(first.entries))
    expect(second.entries.map((entry) => entry.article && readArticleBody(entry.article))).toEqual(['\nCorps A.\n', '\nCorps B.\n'])
  })

  it('takes an unchanged file from the index, without reading it', async () => {
    await load()
    // Only the index can explain this title: the file says "Premier".
    const [name] = await indexFiles()
    const file = path.join(cacheDir, name!)
    const saved = await readIndex(file)
    saved.entries.find((entry) => entry.file === 'a.md')!.details.title = 'Dans l’index'
    await writeFile(file, encodeSavedIndex(saved))
    expect(titles((await load()).entries)).toEqual({ 'a.md': 'Dans l’index', 'b.md': 'Second' })
  })

  it('writes the index in ASCII and reads back accents, typographic quotes and emoji', async () => {
    await put('a.md', article({ title: '"Été « chaud » 🎧 — l’an 2026"', tags: '[Commerce, Été]', summary: '"Résumé"' }, 'Corps A.\n'))
    const first = await load()
    const [name] = await indexFiles()
    const file = path.join(cacheDir, name!)
    const bytes = await readFile(file)
    expect(bytes.every((byte) => byte < 0x80)).toBe(true)
    const saved = await readIndex(file)
    expect(saved.entries.find((entry) => entry.file === 'a.md')!.details.title).toBe('Été « chaud » 🎧 — l’an 2026')
    expect(fieldsOf((await load()).entries)).toEqual(fieldsOf(first.entries))
    // Read from the index, not the file: a title only the index holds.
    saved.entries.find((entry) => entry.file === 'b.md')!.details.title = 'Lu dans l’index 🎧'
    await writeFile(file, encodeSavedIndex(saved))
    expect((await readFile(file)).every((byte) => byte < 0x80)).toBe(true)
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
    const changed = new Date()
    await put('b.md', article({ title: '"Second"' }), changed)
    // Saved in the same second as the change: an edit a moment later could keep size and time.
    await load({ cacheDir, savedAt: changed.getTime() })
    const [name] = await indexFiles()
    const saved = await readIndex(path.join(cacheDir, name!))
    expect(saved.entries.map((entry) => entry.file)).not.toContain('b.md')
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
    const saved = decodeIndex(text)!
    return Object.fromEntries(
      saved.entries.map(({ file, article, ...rest }) => [file, { ...rest, ...article, tags: article.tags.map((at) => saved.tags[at]), authors: article.authors.map((at) => saved.authors[at]) }]),
    )
  }
  /** The index with its checksum made again over its UTF-8 bytes, as if this code had written it so. */
  const reseal = (text: string) => {
    const sealed = text.slice(0, text.lastIndexOf('\n'))
    return `${sealed}\n${crc32(Buffer.from(sealed))}`
  }
  // Each damaged index also names "a.md" "Faux": had it been trusted, that title would show.
  const trusted = (text: string, change: (saved: SavedIndex) => void = () => {}) => {
    const saved = decodeIndex(text)!
    saved.entries.find((entry) => entry.file === 'a.md')!.details.title = 'Faux'
    change(saved)
    return encodeSavedIndex(saved)
  }
  it.each([
    ['cut short in its first line', (text: string) => trusted(text).slice(0, text.indexOf('\n') / 2)],
    ['cut short in its details', (text: string) => trusted(text).slice(0, -10)],
    // Same length, so every place still points at a detail: only the checksum tells.
    ['with its first line changed after it was written', (text: string) => trusted(text).replace('"draft":false', '"draft":true')],
    ['with details changed after it was written', (text: string) => trusted(text).replace('"Second"', '"Faux!!"')],
    ['not JSON', (text: string) => `garbage${trusted(text)}`],
    // Sealed with the right checksum: only the ASCII check stands in the way.
    ['in UTF-8', (text: string) => reseal(trusted(text).replace('\\u00c9t\\u00e9', 'Été'))],
    ['of another version', (text: string) => trusted(text, (saved) => (saved.version = '0'))],
    ['with an entry for another file', (text: string) => trusted(text, (saved) => (saved.entries.find((entry) => entry.file === 'a.md')!.file = 'z.md'))],
    ['naming a tag it does not have', (text: string) => trusted(text, (saved) => saved.tags.pop())],
  ])('ignores an index %s, parses the files and writes a sound index', async (_name, damage) => {
    await load()
    const [name] = await indexFiles()
    const file = path.join(cacheDir, name!)
    const sound = await readFile(file, 'latin1')
    expect(damage(sound)).not.toBe(sound)
    await writeFile(file, damage(sound))
    expect(titles((await load()).entries)).toEqual({ 'a.md': 'Premier', 'b.md': 'Second' })
    expect(resolved(await readFile(file, 'latin1'))).toEqual(resolved(sound))
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
