import { article } from './test-site.js'

/** The hint every problem of a file that is no article gives. */
export const howArticlesStart = 'an article starts with a line "---", then lines such as "title: Amazon ouvre un entrepôt à Lyon" and "date: 2026-11-26T09:30:00+01:00", then a line "---"'
const anchorsRefused = 'YAML anchors (&name) and aliases (*name) are not supported in front matter; write the value out in full'

/** Nine levels of nine aliases each: 400 bytes that stand for 9^9 strings once expanded. */
function aliasBomb(field: string, leaf = 'lol'): string {
  const names = 'abcdefghi'
  const levels = [...names].map((name, level) => `${name}: &${name} [${Array(9).fill(level === 0 ? leaf : `*${names[level - 1]}`).join(', ')}]`)
  return `---\n${levels.join('\n')}\n${field}: *i\ndate: 2026-11-20T10:00:00Z\n---\n`
}

/**
 * Files that cannot be articles, each saved as `bad.md`, and the one problem each is, as `check`
 * and /status say it.
 */
export const badShapes: Array<[name: string, content: string | Buffer, problem: string]> = [
  ['an empty file', '', `bad.md:1: file: empty; ${howArticlesStart}`],
  ['blank lines only', '  \n\n\t\r\n', `bad.md:1: file: only blank lines; ${howArticlesStart}`],
  ['text without front matter', 'Juste du texte.\n', `bad.md:1: front matter: missing; ${howArticlesStart}`],
  ['a front matter that never closes', '---\ntitle: T\ndate: 2026-11-20T10:00:00Z\n\nCorps.\n', 'bad.md:1: front matter: never closed; add a line "---" after the last field'],
  ['binary data', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]), 'bad.md:3: encoding: binary data (a NUL byte) at line 3, column 1; an article is a UTF-8 text file'],
  ['a NUL byte in the front matter', article({ title: '"A\0B"' }), 'bad.md:2: encoding: binary data (a NUL byte) at line 2, column 10; an article is a UTF-8 text file'],
  ['Latin-1 text', Buffer.from(article({ title: '"Mérite sa légende"' }), 'latin1'), 'bad.md:2: encoding: not valid UTF-8 at line 2, column 10 (byte 0xE9): save the file as UTF-8'],
  ['Windows-1252 text', Buffer.from(article({ summary: 'L\u2019été' }).replace('\u2019', '\x92'), 'latin1'), 'bad.md:4: encoding: not valid UTF-8 at line 4, column 11 (byte 0x92): save the file as UTF-8'],
  ['UTF-16 text', Buffer.from(`\uFEFF${article()}`, 'utf16le'), 'bad.md:1: encoding: saved as UTF-16 (it starts with a UTF-16 byte-order mark); save the file as UTF-8'],
  ['an anchor and an alias', article({ title: '&t "T"', summary: '*t' }), `bad.md:2: title: ${anchorsRefused}`],
  ['an alias bomb as the title', aliasBomb('title'), `bad.md:2: a: ${anchorsRefused}`],
  ['an alias bomb behind an escape', aliasBomb('title', '"\\u00e9"'), `bad.md:2: a: ${anchorsRefused}`],
  ['an alias bomb as the tags', aliasBomb('tags'), `bad.md:2: a: ${anchorsRefused}`],
  ['a merge key', article({ '<<': '{ summary: S }' }), 'bad.md:4: (root): unknown field "<<"; YAML merge keys are not supported, write the fields out'],
  ['a JavaScript function tag', article({ summary: '!!js/function "function () { return 1 }"' }), 'bad.md:4: summary: the YAML tag !!js/function is not supported; remove it and write a plain value'],
  ['a custom tag', article({ summary: '!foo S' }), 'bad.md:4: summary: the YAML tag !foo is not supported; remove it and write a plain value'],
  ['a duplicate key', article({ summary: 'A', lang: 'en' }).replace('lang: en', 'lang: en\nsummary: B'), 'bad.md:6: summary: written twice, on lines 4 and 6; keep one'],
  ['an unquoted ": "', article({ title: 'Titre : suite' }), 'bad.md:2: title: the value contains ": "; put it in quotes: title: "Titre : suite"'],
]

