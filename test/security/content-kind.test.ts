import { describe, expect, it } from 'vitest'
import { contentKindOf, mediaTypeOfFile } from '../../src/content/content-kind.js'

// One rule decides what a file of the content folder publishes: articles in any letter
// case, pictures of the allowlist, and nothing else (sources, backups, hidden files,
// active or unknown types are never served).
describe('contentKindOf', () => {
  it.each([
    ['a.md', 'article'],
    ['Secret-Draft.MD', 'article'],
    ['2026/11/b.Md', 'article'],
    ['notes.markdown', 'article'],
    ['NOTES.MARKDOWN', 'article'],
    ['images/photo.jpg', 'media'],
    ['images/PHOTO.JPG', 'media'],
    ['images/photo.jpeg', 'media'],
    ['images/photo.png', 'media'],
    ['images/anim.gif', 'media'],
    ['images/photo.webp', 'media'],
    ['images/photo.avif', 'media'],
    ['images/lead.svg', 'media'],
  ] as const)('contentKindOf(%j) is %j', (file, kind) => {
    expect(contentKindOf(file)).toBe(kind)
  })

  it.each([
    // Editors' backups, swap, lock and temporary files
    'notes.md.bak',
    'notes.MD.BAK',
    'a.md~',
    '#a.md#',
    '.#a.md',
    '.a.md.swp',
    'a.md.swp',
    'a.md.swo',
    'a.md.orig',
    'a.md.rej',
    'a.md.tmp',
    'a.md.old',
    'a.md.save',
    'a.md___jb_tmp___',
    'a.md___jb_old___',
    'a_BACKUP_1234.md',
    'a_LOCAL_1234.md',
    '~$a.md',
    'images/photo.png~',
    'images/photo.png.bak',
    'images/photo.png.part',
    // Hidden files and anything in a hidden folder
    '.draft.md',
    '.hidden.png',
    '.git/HEAD',
    '.drafts/x.md',
    '2026/.cache/y.md',
    'images/.DS_Store',
    '#tmp#/a.md',
    'old~/a.md',
    // Active or unknown types
    'images/page.html',
    'images/page.HTM',
    'images/page.xhtml',
    'images/data.xml',
    'images/feed.xsl',
    'images/app.js',
    'images/app.mjs',
    'images/env.txt',
    'images/style.css',
    'images/doc.pdf',
    'images/archive.zip',
    'images/no-extension',
    'images/photo.svgz',
    'images/photo.ico',
    'creditline.config.json',
  ])('contentKindOf(%j) is undefined: never published', (file) => {
    expect(contentKindOf(file)).toBeUndefined()
  })
})

describe('mediaTypeOfFile', () => {
  it.each([
    ['a.jpg', 'image/jpeg'],
    ['a.JPEG', 'image/jpeg'],
    ['a.png', 'image/png'],
    ['a.gif', 'image/gif'],
    ['a.webp', 'image/webp'],
    ['a.avif', 'image/avif'],
    ['a.svg', 'image/svg+xml; charset=utf-8'],
  ])('mediaTypeOfFile(%j) is %j', (file, type) => {
    expect(mediaTypeOfFile(file)).toBe(type)
  })

  it('mediaTypeOfFile("a.html") throws: only pictures of the allowlist are sent', () => {
    expect(() => mediaTypeOfFile('a.html')).toThrow('a.html is not a published picture type')
  })
})
