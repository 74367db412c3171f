import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { crc32 } from 'node:zlib'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateAtomDocument, toAtomEntry, writeAtom } from '../../src/feeds/atom.js'
import { addFeedHistory } from '../../src/feeds/feed-history.js'
import { buildFeedDocument, siteScope, type FeedDocument } from '../../src/feeds/feed-model.js'
import { FragmentStore } from '../../src/feeds/fragment-store.js'
import { assembleXmlFeed, type XmlItemFormat } from '../../src/feeds/item-fragments.js'
import { generateRssDocument, toRssItem, writeRss } from '../../src/feeds/rss.js'
import { child, parseXml } from '../helpers/parse-xml.js'
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

  const headerOf = (key: string, body: string, fields: Record<string, unknown> = {}) => JSON.stringify({ key, namespaces: fragment.namespaces, length: Buffer.byteLength(body), crc: checksumOf(fragment.namespaces, body), ...fields })
  const long = (character: string) => character.repeat(600)
  it.each([
    { change: 'one character of a long text', one: { content: { encoded: `${long('é')}a` } }, other: { content: { encoded: `${long('é')}b` } } },
    { change: 'where two long texts split', one: { a: long('a') + long('b'), b: long('c') }, other: { a: long('a'), b: long('b') + long('c') } },
    { change: 'which field holds a long text', one: { a: long('a'), b: 'b' }, other: { a: 'b', b: long('a') } },
    { change: 'a long text against its length and the mark that replaces it', one: { a: long('a') }, other: { a: `600\0${long('a')}` } },
  ])('store.keyOf changes with $change', ({ one, other }) => {
    const store = new FragmentStore(dir)
    expect(store.keyOf('item', 'rss', structuredClone(one))).toBe(store.keyOf('item', 'rss', one))
    expect(store.keyOf('item', 'rss', other)).not.toBe(store.keyOf('item', 'rss', one))
  })

  it.each([
    { name: 'empty', text: () => '' },
    { name: 'without a header line', text: () => '<item/>' },
    { name: 'with a header that is not JSON', text: (key: string) => `${key}\n${fragment.bytes.toString()}` },
    { name: 'written for another key', text: (key: string) => `${headerOf(key.replace(/^./, (c) => (c === '0' ? '1' : '0')), fragment.bytes.toString())}\n${fragment.bytes.toString()}` },
    { name: 'cut short', text: (key: string) => `${headerOf(key, fragment.bytes.toString())}\n${fragment.bytes.toString().slice(0, -3)}` },
    { name: 'with other bytes of the same length', text: (key: string) => `${headerOf(key, fragment.bytes.toString())}\n${'\0'.repeat(fragment.bytes.length)}` },
    { name: 'with namespaces that are not names', text: (key: string) => `${headerOf(key, fragment.bytes.toString(), { namespaces: [1] })}\n${fragment.bytes.toString()}` },
  ])('store.get ignores a stored file $name, and store.set writes it again', async ({ name, text }) => {
    const store = new FragmentStore(dir)
    const key = store.keyOf('item', `corrupt: ${name}`, item)
    store.set(key, fragment)
    const [file] = await findFiles(dir, key)
    await writeFile(file!, text(key))
    expect(store.get(key)).toBeUndefined()
    store.set(key, fragment)
    expect(store.get(key)).toEqual(fragment)
  })
})

describe('FragmentStore checksums', () => {
  it('store.get ignores a stored file whose namespaces were changed, since its text would then not be well-formed', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'creditline-items-'))
    try {
      const store = new FragmentStore(dir)
      const key = store.keyOf('item', 'rss', item)
      store.set(key, fragment)
      const [file] = await findFiles(dir, key)
      const text = await readFile(file!, 'utf8')
      const lineEnd = text.indexOf('\n')
      await writeFile(file!, `${JSON.stringify({ ...(JSON.parse(text.slice(0, lineEnd)) as StoredHeader), namespaces: [] })}${text.slice(lineEnd)}`)
      expect(store.get(key)).toBeUndefined()
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
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
      const header = JSON.parse(text.slice(0, lineEnd)) as { length: number; namespaces: string[] }
      const body = text.slice(lineEnd + 1).replaceAll('Avec sources', 'Lu sur le disque')
      await writeFile(file, `${JSON.stringify({ ...header, length: Buffer.byteLength(body), crc: checksumOf(header.namespaces, body) })}\n${body}`)
    }
    const again = await documentOf('"Sans rien"', format)
    const read = formats[format].write(again, store).toString()
    expect(read).not.toBe(formats[format].whole(again))
    expect(read).toBe(formats[format].whole(again).replaceAll('Avec sources', 'Lu sur le disque'))
  })

  it.each([
    { format: 'rss' as const, name: 'declares a namespace the format does not know', edit: (header: StoredHeader, body: string) => ({ header: { ...header, namespaces: [...header.namespaces, 'zz'] }, body }) },
    { format: 'atom' as const, name: 'declares a namespace the format does not know', edit: (header: StoredHeader, body: string) => ({ header: { ...header, namespaces: ['zz'] }, body }) },
    { format: 'rss' as const, name: 'is not an item', edit: (header: StoredHeader, body: string) => ({ header, body: body.replaceAll('item>', 'entry>').replace('<item', '<entry') }) },
    { format: 'atom' as const, name: 'is not an entry', edit: (header: StoredHeader, body: string) => ({ header, body: `${body}\n<!-- -->` }) },
  ])('write $format(document, store) serializes an item again when its stored text $name', async ({ format, edit }) => {
    const folder = path.join(dir, `${format}-unfit-${Math.random().toString(36).slice(2)}`)
    const store = new FragmentStore(folder)
    formats[format].write(await documentOf('"Sans rien"', format), store)
    for (const file of await findFiles(folder, '')) {
      const text = await readFile(file, 'utf8')
      const lineEnd = text.indexOf('\n')
      const { header, body } = edit(JSON.parse(text.slice(0, lineEnd)) as StoredHeader, text.slice(lineEnd + 1))
      await writeFile(file, `${JSON.stringify({ ...header, length: Buffer.byteLength(body), crc: checksumOf(header.namespaces, body) })}\n${body}`)
    }
    const again = await documentOf('"Sans rien"', format)
    expect(formats[format].write(again, store).toString()).toBe(formats[format].whole(again))
  })

  it.each(['rss', 'atom'] as const)('write %s(document, store) serializes an edited item again rather than read the old one', async (format) => {
    const store = new FragmentStore(path.join(dir, `${format}-edited`))
    formats[format].write(await documentOf('"Sans rien"', format), store)
    const edited = await documentOf('"Sans rien, corrigé"', format)
    expect(formats[format].write(edited, store).toString()).toBe(formats[format].whole(edited))
    expect(await findFiles(path.join(dir, `${format}-edited`), '')).toHaveLength(3)
  })
})

interface StoredHeader {
  key: string
  namespaces: string[]
  length: number
}

/** The checksum a stored file's header gives: CRC-32 of the namespaces (as JSON), then of the text. */
function checksumOf(namespaces: unknown[], body: string): number {
  return crc32(body, crc32(JSON.stringify(namespaces)))
}

async function findFiles(dir: string, prefix: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries.filter((entry) => entry.isFile() && entry.name.startsWith(prefix)).map((entry) => path.join(entry.parentPath, entry.name))
}

describe('assembleXmlFeed with a fragment store', () => {
  // Two toy serializers that write the same items differently, as two feedsmith versions might.
  type Toy = { title?: string; creator?: string }
  const toyFormat = (titleTag: string): XmlItemFormat<Toy> => ({
    tag: 'item',
    generateBare: (items) =>
      `<rss${items.some((toy) => toy.creator) ? ' xmlns:dc="http://purl.org/dc/elements/1.1/"' : ''}><channel><title>-</title>${items.map((toy) => `<item><${titleTag}>${toy.title}</${titleTag}>${toy.creator ? `<dc:creator>${toy.creator}</dc:creator>` : ''}</item>`).join('')}</channel></rss>`,
    plain: { title: '-' },
    probes: { dc: { creator: '-' } },
    sample: { title: 'Échantillon', creator: 'La Rédaction' },
  })
  const assemble = (format: XmlItemFormat<Toy>, store: FragmentStore) => assembleXmlFeed(format, [{ title: 'Un', creator: 'Ann' }], 'toy', (toy) => ({ ...toy }), (items) => format.generateBare(items), store).toString()

  it('assembleXmlFeed(format, …, store) does not read what another serializer stored for the same item', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'creditline-items-'))
    try {
      const store = new FragmentStore(dir)
      // The item's first element is the one its own serializer writes.
      const itemOf = (xml: string) => Array.from(child(child(child(parseXml(xml), null, 'rss'), null, 'channel'), null, 'item').childNodes).find((node) => node.nodeType === 1)
      expect(itemOf(assemble(toyFormat('title'), store))).toMatchObject({ localName: 'title', textContent: 'Un' })
      expect(itemOf(assemble(toyFormat('name'), store))).toMatchObject({ localName: 'name', textContent: 'Un' })
      expect(await findFiles(dir, '')).toHaveLength(2)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
