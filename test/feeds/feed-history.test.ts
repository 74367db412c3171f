import { describe, expect, it } from 'vitest'
import { addFeedHistory, escapeXmlAttribute } from '../../src/feeds/feed-history.js'
import type { FeedPaging } from '../../src/feeds/feed-model.js'
import { child, children, ns, parseXml, text } from '../helpers/parse-xml.js'

const rss = '<?xml version="1.0" encoding="utf-8"?>\n<?xml-stylesheet type="text/css" href="https://news.example/feed.css?a=1&amp;b=%3Crss%20"?>\n<rss version="2.0">\n  <channel>\n    <title>T</title>\n  </channel>\n</rss>\n'
const atom = '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">\n  <title type="text">T</title>\n</feed>\n'

const paging = (fields: Partial<FeedPaging>): FeedPaging => ({ complete: false, archive: false, current: undefined, prevArchive: undefined, nextArchive: undefined, next: undefined, ...fields })

/** The fh: elements and first element of the container of feed metadata. */
function historyOf(xml: string, root: 'rss' | 'feed') {
  const document = parseXml(xml)
  const container = root === 'rss' ? child(document.documentElement!, null, 'channel') : document.documentElement!
  return {
    complete: children(container, ns.fh, 'complete').length,
    archive: children(container, ns.fh, 'archive').length,
    title: text(children(container, root === 'rss' ? null : ns.atom, 'title')[0]),
  }
}

describe('addFeedHistory', () => {
  it.each([
    ['rss', rss, { complete: true }, { complete: 1, archive: 0, title: 'T' }],
    ['rss', rss, { archive: true }, { complete: 0, archive: 1, title: 'T' }],
    ['feed', atom, { complete: true }, { complete: 1, archive: 0, title: 'T' }],
    ['feed', atom, { archive: true }, { complete: 0, archive: 1, title: 'T' }],
  ] as const)('addFeedHistory(<%s>, %o) adds the marker in the RFC 5005 namespace', (root, xml, fields, expected) => {
    expect(historyOf(addFeedHistory(xml, root, paging(fields)), root)).toEqual(expected)
  })

  it.each([
    ['rss', rss],
    ['feed', atom],
  ] as const)('addFeedHistory(<%s>) changes nothing for a current document with archives', (root, xml) => {
    expect(addFeedHistory(xml, root, paging({ prevArchive: 'https://news.example/archive/1/feed.xml' }))).toBe(xml)
  })

  it('keeps the XML declaration, the stylesheet and the root attributes', () => {
    const document = parseXml(addFeedHistory(rss, 'rss', paging({ complete: true })))
    expect(document.documentElement!.getAttribute('version')).toBe('2.0')
    const stylesheet = Array.from(document.childNodes).find((node) => node.nodeType === 7 && node.nodeName === 'xml-stylesheet')
    expect(stylesheet?.nodeValue).toBe('type="text/css" href="https://news.example/feed.css?a=1&amp;b=%3Crss%20"')
    expect(parseXml(addFeedHistory(atom, 'feed', paging({ archive: true }))).documentElement!.getAttributeNS(ns.xml, 'lang')).toBe('fr')
  })

  it.each([
    ['rss', atom],
    ['feed', rss],
  ] as const)('addFeedHistory refuses a document without a <%s> root', (root, xml) => {
    expect(() => addFeedHistory(xml, root, paging({ complete: true }))).toThrow(/addFeedHistory/)
  })
})

describe('escapeXmlAttribute', () => {
  it.each([
    ['https://news.example/feed.css', 'https://news.example/feed.css'],
    ['https://news.example/feed.css?a=1&b=2', 'https://news.example/feed.css?a=1&amp;b=2'],
    ['"quoted" <tag>', '&quot;quoted&quot; &lt;tag&gt;'],
    ['&amp;', '&amp;amp;'],
  ])('escapeXmlAttribute(%j) is %j', (value, escaped) => {
    expect(escapeXmlAttribute(value)).toBe(escaped)
  })

  it.each(['a&b', '<"x">', "it's", '?a=1&b=<2>'])('escapeXmlAttribute(%j) parses back exactly as an attribute', (value) => {
    expect(parseXml(`<x a="${escapeXmlAttribute(value)}"/>`).documentElement!.getAttribute('a')).toBe(value)
  })
})
