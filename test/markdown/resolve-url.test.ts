import { describe, expect, it } from 'vitest'
import { resolveUrl, toContentPath, toMediaUrl, type UrlContext } from '../../src/markdown/resolve-url.js'

const nested: UrlContext = { baseUrl: 'https://news.example', pageUrl: 'https://news.example/articles/story', file: '2026/story.md' }
const atRoot: UrlContext = { baseUrl: 'https://news.example', pageUrl: 'https://news.example/articles/story', file: 'story.md' }
const accented: UrlContext = { baseUrl: 'https://news.example', pageUrl: 'https://news.example/articles/story', file: 'dossier été/story.md' }

describe('resolveUrl', () => {
  it.each([
    // Pictures: relative to the article file's folder, served under /media/.
    [nested, 'images/a.png', 'media', 'https://news.example/media/2026/images/a.png'],
    [nested, './a.png', 'media', 'https://news.example/media/2026/a.png'],
    [nested, '../shared/a.png', 'media', 'https://news.example/media/shared/a.png'],
    [nested, 'images/a b.png', 'media', 'https://news.example/media/2026/images/a%20b.png'],
    [nested, '  images/a.png  ', 'media', 'https://news.example/media/2026/images/a.png'],
    [nested, 'a.png?w=1&h=2#frag', 'media', 'https://news.example/media/2026/a.png?w=1&h=2#frag'],
    [atRoot, 'images/a.png', 'media', 'https://news.example/media/images/a.png'],
    [accented, 'a.png', 'media', 'https://news.example/media/dossier%20%C3%A9t%C3%A9/a.png'],
    // Root-relative and absolute pictures keep their target.
    [nested, '/static/a.png', 'media', 'https://news.example/static/a.png'],
    [nested, 'https://cdn.example/a.png', 'media', 'https://cdn.example/a.png'],
    [nested, 'http://cdn.example/a.png', 'media', 'http://cdn.example/a.png'],
    [nested, '//cdn.example/a.png', 'media', 'https://cdn.example/a.png'],
    [nested, 'https://cdn.example/a.png?x=<1>', 'media', 'https://cdn.example/a.png?x=%3C1%3E'],
    // Pictures that are not http(s) have no URL a feed may carry.
    [nested, 'javascript:alert(1)', 'media', undefined],
    [nested, 'JavaScript:alert(1)', 'media', undefined],
    [nested, 'data:image/png;base64,AAAA', 'media', undefined],
    [nested, 'file:///etc/passwd', 'media', undefined],
    [nested, 'https://[broken', 'media', undefined],
    // Links: relative to the article page.
    [nested, 'other-story', 'link', 'https://news.example/articles/other-story'],
    [nested, '../tags/x', 'link', 'https://news.example/tags/x'],
    [nested, '/tags/x', 'link', 'https://news.example/tags/x'],
    [nested, '#part', 'link', 'https://news.example/articles/story#part'],
    [nested, '?page=2', 'link', 'https://news.example/articles/story?page=2'],
    [nested, 'https://other.example/a?b=1&c=2', 'link', 'https://other.example/a?b=1&c=2'],
    [nested, 'mailto:desk@news.example', 'link', 'mailto:desk@news.example'],
    [nested, 'http://[broken', 'link', undefined],
  ] as const)('resolveUrl(%o, %j, %j) is %j', (context, value, kind, expected) => {
    expect(resolveUrl(context, value, kind)).toBe(expected)
  })
})

describe('toMediaUrl', () => {
  it.each([
    ['images/a.png', 'https://news.example/media/images/a.png'],
    ['dossier été/a b.png', 'https://news.example/media/dossier%20%C3%A9t%C3%A9/a%20b.png'],
    ['a#b?.png', 'https://news.example/media/a%23b%3F.png'],
  ])('toMediaUrl("https://news.example", %j) is %j', (contentPath, url) => {
    expect(toMediaUrl('https://news.example', contentPath)).toBe(url)
  })
})

describe('toContentPath', () => {
  it.each([
    ['https://news.example/media/images/a.png', 'images/a.png'],
    ['https://news.example/media/dossier%20%C3%A9t%C3%A9/a.png?w=1#x', 'dossier été/a.png'],
    ['https://news.example/static/a.png', undefined],
    ['https://cdn.example/media/a.png', undefined],
    ['https://news.example/media/%E0%A4%A', undefined],
  ])('toContentPath("https://news.example", %j) is %j', (url, contentPath) => {
    expect(toContentPath('https://news.example', url)).toBe(contentPath)
  })

  it.each(['images/a.png', 'dossier été/a b.png', 'a#b?.png'])('toContentPath(toMediaUrl(%j)) gives the path back', (contentPath) => {
    expect(toContentPath('https://news.example', toMediaUrl('https://news.example', contentPath))).toBe(contentPath)
  })
})
