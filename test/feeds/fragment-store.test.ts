import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateAtomDocument, toAtomEntry, writeAtom } from '../../src/feeds/atom.js'
import { addFeedHistory } from '../../src/feeds/feed-history.js'
import { buildFeedDocument, siteScope, type FeedDocument } from '../../src/feeds/feed-model.js'
import { FragmentStore } from '../../src/feeds/fragment-store.js'
import { generateRssDocument, toRssItem, writeRss } from '../../src/feeds/rss.js'
import { article, createTestSite, type TestSite } from '../helpers/test-site.js'

const item = { title: 'Ratatouille', content: { encoded: '<p>Un entrepôt</p>' }, pubDate: new Date('2026-11-26T09:30:00Z') }
const fragment = { bytes: Buffer.from('<item>\n      <title>Ratatouille</title>\n    </item>'), namespaces: ['content'] }

describe('FragmentStore', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'creditline-items-'))
  })
  afterAll(() => rm(dir, { recursive: true, force: true }))

  it('store.get(key) gives back what store.set(key, fragment) stored, across instances', () => {
    const store = new FragmentStore(dir)
    const key = store.keyOf('item', 'rss', item)
    expect(store.get(key)).toBeUndefined()
    store.set(key, fragment)
    expect(new FragmentStore(dir).get(key)).toEqual(fragment)
  })

  it.each([
    { change: 'the item', other: (store: FragmentStore) => store.keyOf('item', 'rss', { ...item, title: 'Ratatouille.' }) },
    { change: 'a date in the item', other: (store: FragmentStore) => store.keyOf('item', 'rss', { ...item, pubDate: new Date('2026-11-26T09:30:01Z') }) },
    { change: 'the context', other: (store: FragmentStore) => store.keyOf('item', 'rss\nhttps://mirror.example', item) },
    { change: 'the format', other: (store: FragmentStore) => store.keyOf('entry', 'rss', item) },
    { change: 'the version', other: () => new FragmentStore(dir, 'another').keyOf('item', 'rss', item) },
  ])('store.keyOf changes with $change', ({ other }) => {
    const store = new FragmentStore(dir)
    expect(store.keyOf('item', 'rss', structuredClone(item))).toBe(store.keyOf('item', 'rss', item))
    expect(other(store)).not.toBe(store.keyOf('item', 'rss', item))
  })

  it.each([
    { name: 'empty', text: () => '' },
    { name: 'without a header line', text: () => fragment.bytes.toString() },
    { name: 'with a header that is not JSON', text: (key: string) => `${key}\n${fragment.bytes.toString()}` },
    { name: 'written for another key', text: (key: string) => `${JSON.stringify({ key: key.replace(/^./, (c) => (c === '0' ? '1' : '0')), namespaces: [], length: fragment.bytes.length })}\n${fragment.bytes.toString()}` },
    { name: 'cut short', text: (key: string) => `${JSON.stringify({ key, namespaces: [], length: fragment.bytes.length })}\n${fragment.bytes.toString().slice(0, -3)}` },
    { name: 'with namespaces that are not names', text: (key: string) => `${JSON.stringify({ key, namespaces: [1], length: fragment.bytes.length })}\n${fragment.bytes.toString()}` },
  ])('store.get ignores a stored file $name, and store.set writes it again', async ({ text }) => {
    const store = new FragmentStore(dir)
    const key = store.keyOf('item', `corrupt ${text.toString()}`, item)
    store.set(key, fragment)
    const [file] = await findFiles(dir, key)
    await writeFile(file!, text(key))
    expect(store.get(key)).toBeUndefined()
    store.set(key, fragment)
    expect(store.get(key)).toEqual(fragment)
  })
})

describe('RSS and Atom documents with a fragment store', () => {
  const image = '{ src: "https://images.unsplash.com/photo-1?w=1200&q=80", alt: "Un entrepôt", credit: "© Christian Wiediger via Unsplash" }'
  const files = (title: string) => ({
    'a.md': article({ title, date: '2026-11-01T10:00:00Z', image, tags: '[Plain]' }),
    'b.md': article({ title: '"Avec sources"', date: '2026-11-03T10:00:00Z', sources: '[{ name: Bloomberg, url: "https://www.bloomberg.com/a?b=1&c=2" }]' }),
  })
  const formats = {
    rss: { write: writeRss, whole: (document: FeedDocument) => addFeedHistory(generateRssDocument(document, document.items.map((entry) => toRssItem(entry, document))), 'rss', document.paging) },
    atom: { write: writeAtom, whole: (document: FeedDocument) => addFeedHistory(generateAtomDocument(document, document.items.map((entry) => toAtomEntry(entry, document))), 'feed', document.paging) },
  }
  let dir: string
  const sites: TestSite[] = []
  const documentOf = async (title: string, format: 'rss' | 'atom') => {
    // A new site each time: new articles, renders and items, as after a restart.
    const site = await createTestSite(files(title))
    sites.push(site)
    return buildFeedDocument(site.config, site.renderer, siteScope(site.config.site, site.store.catalog.articles), format, { kind: 'current' })!
  }
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'creditline-items-'))
  })
  afterAll(async () => {
    await Promise.all(sites.map((site) => site.dispose()))
    await rm(dir, { recursive: true, force: true })
  })

  it.each(['rss', 'atom'] as const)('write %s(document, store) stores each item, then reads it back instead of serializing it', async (format) => {
    const store = new FragmentStore(path.join(dir, format))
    const first = await documentOf('"Sans rien"', format)
    expect(formats[format].write(first, store).toString()).toBe(formats[format].whole(first))
    const stored = await findFiles(path.join(dir, format), '')
    expect(stored).toHaveLength(2)
    // Changed on disk (keeping each file valid), the texts show up in the next document: they were read.
    for (const file of stored) {
      const text = await readFile(file, 'utf8')
      const lineEnd = text.indexOf('\n')
      const header = JSON.parse(text.slice(0, lineEnd)) as { length: number }
      const body = text.slice(lineEnd + 1).replaceAll('Avec sources', 'Lu sur le disque')
      await writeFile(file, `${JSON.stringify({ ...header, length: Buffer.byteLength(body) })}\n${body}`)
    }
    const again = await documentOf('"Sans rien"', format)
    const read = formats[format].write(again, store).toString()
    expect(read).not.toBe(formats[format].whole(again))
    expect(read).toBe(formats[format].whole(again).replaceAll('Avec sources', 'Lu sur le disque'))
  })

  it.each(['rss', 'atom'] as const)('write %s(document, store) serializes an edited item again rather than read the old one', async (format) => {
    const store = new FragmentStore(path.join(dir, `${format}-edited`))
    formats[format].write(await documentOf('"Sans rien"', format), store)
    const edited = await documentOf('"Sans rien, corrigé"', format)
    expect(formats[format].write(edited, store).toString()).toBe(formats[format].whole(edited))
    expect(await findFiles(path.join(dir, `${format}-edited`), '')).toHaveLength(3)
  })
})

async function findFiles(dir: string, prefix: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries.filter((entry) => entry.isFile() && entry.name.startsWith(prefix)).map((entry) => path.join(entry.parentPath, entry.name))
}
