import type { Element as XmlElement, Node as XmlNode } from '@xmldom/xmldom'
import type { Element, Root, RootContent } from 'hast'
import { fromHtml } from 'hast-util-from-html'
import { parseXml } from '../helpers/parse-xml.js'

// Characters XML 1.0 forbids: C0 controls but tab, newline and return, U+FFFE, U+FFFF, lone surrogates.
const xmlForbidden = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/u

// Attributes that hold a URL a browser follows or loads.
const urlProperties = new Set(['href', 'src', 'action', 'formAction', 'poster', 'cite', 'background', 'xLinkHref', 'data', 'manifest', 'ping'])

/** What a document broke, if anything; the first reason found. */
export type Finding = string | undefined

/** Find a character XML forbids in a text. */
export function findForbiddenCharacter(text: string): Finding {
  const match = xmlForbidden.exec(text)
  return match ? `XML-forbidden character U+${match[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} at ${match.index}` : undefined
}

/**
 * A URL a browser would run as script: `javascript:` (and `vbscript:`, `data:text/html`)
 * after removing what browsers ignore in a scheme (controls, white space).
 */
export function isScriptUrl(url: string): boolean {
  const scheme = url.replace(/[\u0000-\u0020\u007f]/g, '').toLowerCase()
  return scheme.startsWith('javascript:') || scheme.startsWith('vbscript:') || scheme.startsWith('data:text/html')
}

/** Whether a URL is absolute: it parses without a base, with a scheme. */
export function isAbsoluteUrl(url: string): boolean {
  try {
    new URL(url)
    return true
  } catch {
    return false
  }
}

/**
 * Parse HTML as a browser does (parse5, through hast-util-from-html) and find a script
 * element, an event handler attribute or a script URL; with `absolute`, a relative URL.
 */
export function findUnsafeHtml(html: string, options: { fragment: boolean; absolute: boolean }): Finding {
  const tree = fromHtml(html, { fragment: options.fragment })
  let finding: Finding
  const visit = (node: Root | RootContent): void => {
    if (finding) return
    if (node.type === 'element') {
      finding = checkElement(node, options.absolute)
      if (node.tagName === 'template' && node.content) visit(node.content)
    }
    if ('children' in node) for (const child of node.children) visit(child)
  }
  visit(tree)
  return finding
}

function checkElement(element: Element, absolute: boolean): Finding {
  if (element.tagName === 'script') return `a <script> element survived`
  for (const [name, value] of Object.entries(element.properties)) {
    if (/^on[A-Z]/.test(name) || /^on/i.test(name)) return `an event attribute ${name} on <${element.tagName}> survived`
    if (!urlProperties.has(name)) continue
    const urls = Array.isArray(value) ? value.map(String) : [String(value)]
    for (const url of urls) {
      if (isScriptUrl(url)) return `a script URL ${JSON.stringify(url)} in ${name} of <${element.tagName}>`
      if (absolute && !isAbsoluteUrl(url)) return `a relative URL ${JSON.stringify(url)} in ${name} of <${element.tagName}>`
    }
  }
  for (const candidate of String(element.properties.srcSet ?? '').split(',')) {
    const url = candidate.trim().split(/\s+/)[0]
    if (url && absolute && !isAbsoluteUrl(url)) return `a relative URL ${JSON.stringify(url)} in srcset of <${element.tagName}>`
  }
  return undefined
}

// Elements of RSS, Atom and Media RSS whose text or attribute is a URL.
const urlAttributes = ['href', 'url', 'src', 'uri', 'scheme']
const urlElements = new Set(['link', 'comments', 'docs', 'uri', 'icon', 'logo'])
// Elements whose text is HTML (escaped or CDATA), by namespace: RSS's description,
// content:encoded, and Atom's text constructs of type html. (media:content and
// media:description are not: Media RSS text is plain.)
const htmlElements = new Map<string | null, Set<string>>([
  [null, new Set(['description'])],
  ['http://purl.org/rss/1.0/modules/content/', new Set(['encoded'])],
  ['http://www.w3.org/2005/Atom', new Set(['content', 'summary', 'subtitle', 'title', 'rights'])],
])

/**
 * Parse an RSS or Atom document strictly and find a forbidden character, a relative or
 * script URL, or unsafe HTML in an item's content.
 */
export function findXmlProblem(text: string): Finding {
  const forbidden = findForbiddenCharacter(text)
  if (forbidden) return forbidden
  let document
  try {
    document = parseXml(text)
  } catch (error) {
    return `not well-formed: ${(error as Error).message}`
  }
  let finding: Finding
  const visit = (node: XmlNode): void => {
    if (finding) return
    if (node.nodeType === 1) {
      const element = node as XmlElement
      const name = element.localName ?? element.nodeName
      for (const attribute of urlAttributes) {
        const value = element.getAttribute(attribute)
        if (value === null || (name === 'link' && attribute === 'rel')) continue
        if (attribute === 'scheme' && name === 'category') continue
        if (isScriptUrl(value) || !isAbsoluteUrl(value)) finding = `URL ${JSON.stringify(value)} in ${attribute} of <${element.nodeName}> is not an absolute, safe URL`
      }
      if (!finding && urlElements.has(name) && element.getAttribute('href') === null && element.childNodes.length > 0 && !element.getElementsByTagName('*').length) {
        const url = (element.textContent ?? '').trim()
        if (url !== '' && (isScriptUrl(url) || !isAbsoluteUrl(url))) finding = `URL ${JSON.stringify(url)} in <${element.nodeName}> is not an absolute, safe URL`
      }
      const isHtml = htmlElements.get(element.namespaceURI ?? null)?.has(name) === true && (element.namespaceURI !== 'http://www.w3.org/2005/Atom' || element.getAttribute('type') === 'html')
      if (!finding && isHtml) {
        const unsafe = findUnsafeHtml(element.textContent ?? '', { fragment: true, absolute: true })
        if (unsafe) finding = `in <${element.nodeName}>: ${unsafe}`
      }
    }
    for (const child of Array.from(node.childNodes ?? [])) visit(child as XmlNode)
  }
  visit(document as unknown as XmlNode)
  return finding
}

interface JsonFeedShape {
  version?: unknown
  items?: Array<Record<string, unknown>>
  [key: string]: unknown
}

/** Parse a JSON Feed and find a broken shape, a relative or script URL, or unsafe HTML in an item. */
export function findJsonFeedProblem(text: string): Finding {
  let feed: JsonFeedShape
  try {
    feed = JSON.parse(text) as JsonFeedShape
  } catch (error) {
    return `not JSON: ${(error as Error).message}`
  }
  if (feed.version !== 'https://jsonfeed.org/version/1.1') return `version ${JSON.stringify(feed.version)}`
  if (!Array.isArray(feed.items)) return 'no items array'
  for (const item of feed.items) {
    for (const key of ['id', 'url', 'content_html'] as const) if (typeof item[key] !== 'string') return `an item without a string ${key}`
    if (typeof item._creditline !== 'object' || item._creditline === null) return `item ${String(item.id)} without _creditline`
    const html = findUnsafeHtml(item.content_html as string, { fragment: true, absolute: true })
    if (html) return `item ${String(item.id)}: ${html}`
  }
  // Every string under a URL-named key, at any depth, is an absolute, safe URL.
  let finding: Finding
  const visit = (value: unknown, key: string): void => {
    if (finding) return
    if (typeof value === 'string') {
      if (/(^|_)(url|image|icon|favicon|license|next_url|home_page_url|feed_url|banner_image|avatar)$/.test(key) && (isScriptUrl(value) || !isAbsoluteUrl(value))) finding = `${key} ${JSON.stringify(value)} is not an absolute, safe URL`
      return
    }
    if (Array.isArray(value)) value.forEach((inner) => visit(inner, key))
    else if (typeof value === 'object' && value !== null) for (const [name, inner] of Object.entries(value)) visit(inner, name)
  }
  visit(feed, '')
  return finding
}
