/**
 * Feeds assembled from serialized items. An article appears in about five documents per
 * format (the site feed, its tag and author feeds, their archives and pages), and
 * serializing its item is most of the cost of a document. So each item is serialized once
 * per format, by feedsmith, in a one-item document, and the text of its element is kept;
 * a document is feedsmith's output for its channel with those texts spliced in.
 *
 * Written by hand because feedsmith serializes whole documents only. The splice is exact,
 * not approximate: the tests compare assembled documents with feedsmith's own whole
 * documents byte for byte. What makes it exact:
 * - an item's text does not depend on its neighbours: feedsmith's pretty printer indents
 *   by depth, and every item sits at the same depth;
 * - the only document-level trace of an item is the namespaces it uses, declared on the
 *   root; the document is generated with a placeholder item that uses the same ones;
 * - texts are found by position in feedsmith's output for known inputs, never by
 *   searching our own text for markup.
 * Item texts are kept encoded (UTF-8 buffers), so a document is a copy of bytes: neither
 * re-encoded nor re-scanned, and off the JavaScript heap.
 *
 * The static export also keeps item texts on disk (see `FragmentStore`). A stored text is
 * exact only if it was cut from the same serializer's output, so its key holds a
 * fingerprint of the serializer: the text of each format's `sample` item, made once per
 * process. A new feedsmith, XML builder or `tightenCdata` that writes the sample
 * differently finds nothing stored.
 */

import { createHash } from 'node:crypto'
import type { FeedItem } from './feed-model.js'
import type { FragmentStore, StoredFragment } from './fragment-store.js'

/** What an XML format needs to serialize its items one by one and splice them back. */
export interface XmlItemFormat<Item> {
  /** Element name of an item (`item`, `entry`). */
  tag: string
  /** feedsmith's document for a fixed, minimal channel holding `items`. */
  generateBare(items: Item[]): string
  /** For each namespace prefix an item may use, fields that use only that one (a placeholder's building blocks). */
  probes: Record<string, Partial<Item>>
  /** An item that uses no namespace. */
  plain: Item
  /**
   * An item with everything the serializer meets (every namespace, escapes, CDATA, a
   * language): its text is the serializer's fingerprint (see `FragmentStore`).
   */
  sample: Item
}

interface XmlFragment {
  text: string
  namespaces: string[]
}

interface Spliced {
  placeholder: Map<string, string>
  separator: Buffer
}

/**
 * A feed item with every kind of content an article gives: each format's `sample` is made
 * from it, to fingerprint the serializer. Markup, `]]>`, `&` in URLs, characters past
 * ASCII, pictures with credits, sources, several authors and tags, another language.
 */
export const serializerSample: FeedItem = {
  id: 'https://news.example/articles/sample',
  url: 'https://news.example/articles/sample',
  title: 'Échantillon « <b>gras</b> » & ]]> fin',
  summary: 'Résumé : 25 % & < 9 € ]]>',
  contentHtml: '<figure><img src="https://images.example/p?w=1&amp;q=80" alt="Un entrepôt"><figcaption>© Christian Wiediger via Unsplash</figcaption></figure><p>Un <code>]]&gt;</code> et ]]> encore ]]> &amp; la suite.</p>',
  published: new Date('2026-11-26T09:30:00Z'),
  updated: new Date('2026-11-27T10:00:00Z'),
  authors: [{ name: 'La Rédaction' }, { name: 'Zoë O’Brien', url: 'https://news.example/zoe?a=1&b=2', email: 'zoe@news.example' }],
  tags: [
    { name: 'É-commerce', slug: 'e-commerce' },
    { name: '<item>', slug: 'item' },
  ],
  lang: 'en',
  media: [
    { url: 'https://images.example/p?w=1&q=80', type: 'image/jpeg', alt: 'Un entrepôt', credit: 'Christian Wiediger via Unsplash', copyright: '© Shutterstock', license: 'https://unsplash.com/license', role: 'photographer', lead: true, file: { bytes: 48_213, width: 1200, height: 800 } },
    { url: 'https://news.example/media/chart.svg', type: 'image/svg+xml', alt: 'Graphique', credit: undefined, copyright: undefined, license: undefined, role: 'photographer', lead: false, file: { bytes: 912, width: undefined, height: undefined } },
  ],
  sources: [
    { name: 'Bloomberg', url: 'https://www.bloomberg.com/a?b=1&c=2' },
    { name: 'The Daily Telegraph', url: 'https://www.telegraph.co.uk/x' },
  ],
}

// Per FeedItem object, per format and document context: items are memoised per render
// (see toFeedItem), so a fragment lives exactly as long as the render it was made from.
const fragments = new WeakMap<object, Map<string, unknown>>()
const formats = new WeakMap<object, Spliced>()
const fingerprints = new WeakMap<object, string>()

/** What `make` returns for `key` and `context`, made once and then kept with `key`. */
function cached<T>(key: object, context: string, make: () => T): T {
  let byContext = fragments.get(key)
  if (!byContext) fragments.set(key, (byContext = new Map()))
  if (byContext.has(context)) return byContext.get(context) as T
  const made = make()
  byContext.set(context, made)
  return made
}

/**
 * The serialized text of each item (cached per `key` object and `context`, and in `store`
 * when given), with the namespace prefixes it needs declared.
 */
function fragmentOf<Item>(format: XmlItemFormat<Item>, key: object, context: string, build: () => Item, store: FragmentStore | undefined): StoredFragment {
  return cached(key, context, () => {
    const item = build()
    const storeKey = store?.keyOf(format.tag, `${fingerprintOf(format)}\n${context}`, item as object)
    const stored = storeKey === undefined ? undefined : store!.get(storeKey)
    if (stored && fitsFormat(format, stored)) return stored
    const { text, namespaces } = extractItem(format, format.generateBare([item]))
    const fragment = { bytes: Buffer.from(text), namespaces }
    if (storeKey !== undefined) store!.set(storeKey, fragment)
    return fragment
  })
}

/** The serializer's fingerprint for `format`: a hash of its sample item's text. */
function fingerprintOf<Item>(format: XmlItemFormat<Item>): string {
  let fingerprint = fingerprints.get(format)
  if (fingerprint === undefined) {
    const { text, namespaces } = extractItem(format, format.generateBare([format.sample]))
    fingerprint = createHash('sha256').update(`${namespaces.join(' ')}\n${text}`).digest('hex')
    fingerprints.set(format, fingerprint)
  }
  return fingerprint
}

/** Whether a stored text is one element of this format that declares only namespaces the format knows. */
function fitsFormat<Item>(format: XmlItemFormat<Item>, fragment: StoredFragment): boolean {
  const close = Buffer.from(`</${format.tag}>`)
  return findStart(fragment.bytes.toString('latin1', 0, format.tag.length + 2), format.tag, 0) === 0 && fragment.bytes.subarray(-close.length).equals(close) && fragment.namespaces.every((prefix) => Object.hasOwn(format.probes, prefix))
}

/** Cut the only item out of a bare document, and read the namespaces its root declares. */
function extractItem<Item>(format: XmlItemFormat<Item>, xml: string): XmlFragment {
  const start = findStart(xml, format.tag, 0)
  const end = xml.lastIndexOf(`</${format.tag}>`)
  if (start === -1 || end < start) throw new Error(`item fragments: no <${format.tag}> in feedsmith's output`)
  return { text: xml.slice(start, end + format.tag.length + 3), namespaces: rootNamespaces(xml) }
}

/** Index of the first `<tag>` or `<tag …>` start tag at or after `from`. */
function findStart(xml: string, tag: string, from: number): number {
  for (let at = xml.indexOf(`<${tag}`, from); at !== -1; at = xml.indexOf(`<${tag}`, at + 1)) {
    const next = xml.charCodeAt(at + tag.length + 1)
    if (next === 62 /* > */ || next === 32 /* space */) return at
  }
  return -1
}

/** Prefixes declared on the root element of feedsmith's output (`xmlns:dc="…"` → `dc`). */
function rootNamespaces(xml: string): string[] {
  const root = xml.match(/<(?:rss|feed)\b[^>]*>/)
  if (!root) throw new Error('item fragments: no root element in feedsmith output')
  return [...root[0].matchAll(/ xmlns:([A-Za-z][\w.-]*)=/g)].map((match) => match[1]!)
}

/** The placeholder item for a set of namespaces, and the text between two items. */
function splicingOf<Item>(format: XmlItemFormat<Item>, namespaces: ReadonlyArray<string>): { placeholder: string; separator: Buffer } {
  let spliced = formats.get(format)
  if (!spliced) {
    const pair = format.generateBare([format.plain, format.plain])
    const first = findStart(pair, format.tag, 0)
    const firstEnd = pair.indexOf(`</${format.tag}>`, first) + format.tag.length + 3
    const second = findStart(pair, format.tag, firstEnd)
    spliced = { placeholder: new Map(), separator: Buffer.from(pair.slice(firstEnd, second)) }
    formats.set(format, spliced)
  }
  const key = namespaces.join(' ')
  let placeholder = spliced.placeholder.get(key)
  if (placeholder === undefined) {
    placeholder = extractItem(format, format.generateBare([placeholderOf(format, namespaces)])).text
    spliced.placeholder.set(key, placeholder)
  }
  return { placeholder, separator: spliced.separator }
}

/** The plain item with the probes of `namespaces`: an item that uses exactly those. */
function placeholderOf<Item>(format: XmlItemFormat<Item>, namespaces: ReadonlyArray<string>): Item {
  return Object.assign({}, format.plain, ...namespaces.map((prefix) => format.probes[prefix])) as Item
}

/**
 * Serialize a document whose items are `keys` (each built by `build` when its fragment is
 * not cached), as `generate` (feedsmith, with the document's channel) would with all of
 * them, reusing each item's text. `generate` may edit what it returns before the items
 * (as addFeedHistory does), never the items.
 *
 * @param context everything outside the item that its text depends on (format, base URL, language)
 * @param store serialized items kept on disk, where an item not in memory is looked for first
 */
export function assembleXmlFeed<Item, Key extends object>(
  format: XmlItemFormat<Item>,
  keys: ReadonlyArray<Key>,
  context: string,
  build: (key: Key) => Item,
  generate: (items: Item[]) => string,
  store?: FragmentStore,
): Buffer {
  if (keys.length === 0) return Buffer.from(generate([]))
  const parts = keys.map((key) => fragmentOf(format, key, context, () => build(key), store))
  const used = new Set(parts.flatMap((part) => part.namespaces))
  // In the probes' order, so one set of namespaces has one placeholder; feedsmith orders the declarations itself.
  const namespaces = Object.keys(format.probes).filter((prefix) => used.has(prefix))
  for (const prefix of used) if (!format.probes[prefix]) throw new Error(`item fragments: no probe for the ${prefix}: namespace`)
  const { placeholder, separator } = splicingOf(format, namespaces)
  const xml = generate([placeholderOf(format, namespaces)])
  const at = xml.lastIndexOf(placeholder)
  if (at === -1) throw new Error('item fragments: the placeholder item is not in the document')
  return joinBytes(xml.slice(0, at), parts.map((part) => part.bytes), separator, xml.slice(at + placeholder.length))
}

/** `head`, the items with `separator` between them, and `tail`, as one buffer. */
function joinBytes(head: string, items: Buffer[], separator: Buffer, tail: string): Buffer {
  const chunks: Buffer[] = [Buffer.from(head)]
  items.forEach((item, index) => {
    if (index > 0) chunks.push(separator)
    chunks.push(item)
  })
  chunks.push(Buffer.from(tail))
  return Buffer.concat(chunks)
}

/**
 * Serialize a JSON Feed written with `JSON.stringify(feed, null, 2)` whose `items` member
 * comes last: `empty` is the document with no items, and each item's JSON (built by `build`
 * when not cached per `key` and `context`) is serialized once.
 */
export function assembleJsonFeed<Key extends object>(empty: string, keys: ReadonlyArray<Key>, context: string, build: (key: Key) => unknown): Buffer {
  if (keys.length === 0) return Buffer.from(empty)
  const tail = '"items": []\n}\n'
  if (!empty.endsWith(tail)) throw new Error('item fragments: items is not the last member of the JSON Feed')
  // JSON text has line breaks only between tokens (in strings they are escaped), so
  // re-indenting every line break is exact.
  const items = keys.map((key) => cached(key, context, () => Buffer.from(`    ${JSON.stringify(build(key), null, 2).replace(/\n/g, '\n    ')}`)))
  return joinBytes(`${empty.slice(0, -tail.length)}"items": [\n`, items, jsonSeparator, '\n  ]\n}\n')
}

const jsonSeparator = Buffer.from(',\n')
