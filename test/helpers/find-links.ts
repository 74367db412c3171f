import type { Element } from '@xmldom/xmldom'
import { elements, parseHtml } from '../fixtures/parse-html.js'
import { parseXml } from './parse-xml.js'

/**
 * Every absolute URL under `base` that a document links to, whatever its format: HTML
 * links and pictures, every URL attribute and link text of RSS and Atom, every string of
 * a JSON Feed. What crawls of the site and of its export follow.
 */
export function findLinks(body: string, contentType: string, base: string): string[] {
  const found: string[] = []
  const type = contentType.split(';')[0]!
  if (type === 'text/html') {
    const page = parseHtml(body)
    for (const [tag, attribute] of [['a', 'href'], ['link', 'href'], ['img', 'src']] as const) {
      for (const element of elements(page, tag)) found.push(element.getAttribute(attribute) ?? '')
    }
  } else if (type.endsWith('+xml')) {
    const walk = (element: Element) => {
      for (const name of ['href', 'url', 'src']) found.push(element.getAttribute(name) ?? '')
      if (['link', 'guid', 'id'].includes(element.localName ?? '') && !element.getAttribute('href')) found.push(element.textContent ?? '')
      for (const child of Array.from(element.childNodes)) if (child.nodeType === 1) walk(child as unknown as Element)
    }
    walk(parseXml(body).documentElement!)
  } else if (type === 'application/feed+json') {
    const walk = (value: unknown): void => {
      if (typeof value === 'string') found.push(value)
      else if (Array.isArray(value)) value.forEach(walk)
      else if (value && typeof value === 'object') Object.values(value).forEach(walk)
    }
    walk(JSON.parse(body))
  }
  return found.map((url) => url.trim()).filter((url) => url === base || url.startsWith(`${base}/`))
}
