import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parseArticle, type Article } from '../../src/content/parse-article.js'
import { ArticleRenderer } from '../../src/markdown/render-article.js'
import { article } from '../helpers/test-site.js'

const defaults = { language: 'fr', author: { name: 'La rédaction' } }

function parse(file: string, text: string): Article {
  const result = parseArticle(file, text, defaults)
  if (!result.ok) throw new Error(JSON.stringify(result.problems))
  return result.article
}

async function cacheFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name))
}

describe('the render cache on disk', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'creditline-cache-'))
  })
  afterEach(() => rm(dir, { recursive: true, force: true }))

  it('is reused by a new renderer (a restart) for the same source and settings', async () => {
    const source = parse('a.md', article({}, 'Hello **world**.\n'))
    const first = new ArticleRenderer({ baseUrl: 'https://news.example', cacheDir: dir })
    expect(first.needsRender(source)).toBe(true)
    const html = first.render(source).html
    const restarted = new ArticleRenderer({ baseUrl: 'https://news.example', cacheDir: dir })
    expect(restarted.needsRender(source)).toBe(false)
    expect(restarted.render(source).html).toBe(html)
  })

  // A relative picture: its absolute URL depends on the base URL and the file's folder.
  const body = (word: string) => `Hello **${word}**.\n\n![Un colis](images/box.svg "© Amazon")\n`
  it.each([
    ['a changed body', () => parse('a.md', article({}, body('there'))), 'https://news.example', '1'],
    ['a changed base URL (a setting that reaches every URL)', () => parse('a.md', article({}, body('world'))), 'https://other.example', '1'],
    ['a changed renderer version', () => parse('a.md', article({}, body('world'))), 'https://news.example', '2'],
    ['a moved file (relative pictures resolve elsewhere)', () => parse('sub/a.md', article({}, body('world'))), 'https://news.example', '1'],
  ])('render() after %s is not served from the cache, and gives a fresh render', (_title, make, baseUrl, version) => {
    const original = parse('a.md', article({}, body('world')))
    new ArticleRenderer({ baseUrl: 'https://news.example', cacheDir: dir, version: '1' }).render(original)
    const renderer = new ArticleRenderer({ baseUrl, cacheDir: dir, version })
    const changed = make()
    expect(renderer.needsRender(changed)).toBe(true)
    expect(renderer.render(changed).html).toBe(new ArticleRenderer({ baseUrl, cacheDir: undefined, version }).render(changed).html)
  })

  it('ignores a corrupt cache file, renders again and rewrites it', async () => {
    const source = parse('a.md', article({}, '![Un colis](images/box.svg "© Amazon")\n'))
    const expected = new ArticleRenderer({ baseUrl: 'https://news.example', cacheDir: dir }).render(source).html
    const [file] = await cacheFiles(dir)
    await writeFile(file!, '{"key": "truncated", "html": "<p>stale')
    const restarted = new ArticleRenderer({ baseUrl: 'https://news.example', cacheDir: dir })
    expect(restarted.needsRender(source)).toBe(true)
    expect(restarted.render(source).html).toBe(expected)
    expect(JSON.parse(await readFile(file!, 'utf8'))).toMatchObject({ html: expected })
  })

  it('ignores a cache file written for another key', async () => {
    const source = parse('a.md', article({}, 'Hello.\n'))
    const renderer = new ArticleRenderer({ baseUrl: 'https://news.example', cacheDir: dir })
    renderer.render(source)
    const [file] = await cacheFiles(dir)
    const entry = JSON.parse(await readFile(file!, 'utf8'))
    await writeFile(file!, JSON.stringify({ ...entry, key: 'another', html: '<p>not this</p>' }))
    const restarted = new ArticleRenderer({ baseUrl: 'https://news.example', cacheDir: dir })
    expect(restarted.render(source).html).toBe(new ArticleRenderer({ baseUrl: 'https://news.example', cacheDir: undefined }).render(source).html)
  })
})
