import { DOMParser, type Document, type Element } from '@xmldom/xmldom'

/** Namespaces the feeds use, by their usual prefix. */
export const ns = {
  atom: 'http://www.w3.org/2005/Atom',
  media: 'http://search.yahoo.com/mrss/',
  dc: 'http://purl.org/dc/elements/1.1/',
  content: 'http://purl.org/rss/1.0/modules/content/',
  fh: 'http://purl.org/syndication/history/1.0',
  xml: 'http://www.w3.org/XML/1998/namespace',
} as const

/**
 * Parse XML strictly: any well-formedness error or warning throws, so a test fails
 * on the first malformed byte instead of reading a repaired tree.
 */
export function parseXml(text: string): Document {
  const parser = new DOMParser({
    onError: (level, message) => {
      // U+FFFD is a valid XML character (micromark writes it for `&#1;`); xmldom only guesses at an encoding problem.
      if (level === 'warning' && message.startsWith('Unicode replacement character')) return
      throw new Error(`XML ${level}: ${message}`)
    },
  })
  return parser.parseFromString(text, 'application/xml')
}

/** Child elements of `parent` with this namespace and local name (direct children only). */
export function children(parent: Element | Document, namespace: string | null, localName: string): Element[] {
  const found: Element[] = []
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    const element = node as Element
    if (node.nodeType === 1 && element.localName === localName && element.namespaceURI === namespace) found.push(element)
  }
  return found
}

/** The single child element, failing loudly when absent. */
export function child(parent: Element | Document, namespace: string | null, localName: string): Element {
  const [first] = children(parent, namespace, localName)
  if (!first) throw new Error(`no <${localName}> in <${(parent as Element).localName ?? '#document'}>`)
  return first
}

/** Trimmed text content of an element. */
export function text(element: Element | undefined): string {
  return (element?.textContent ?? '').trim()
}
