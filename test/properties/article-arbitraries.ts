import fc from 'fast-check'

/**
 * Strings that have broken feeds and pages somewhere: CDATA ends, markup, entities,
 * control characters (C0, C1), bidi and invisible marks, lone surrogates, quotes of every
 * kind, script URLs and URLs with `&`.
 */
export const hostileFragments = [
  ']]>',
  ']]]]><![CDATA[>',
  '<![CDATA[',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<a href="javascript:alert(1)">x</a>',
  '<svg onload=alert(1)>',
  '<iframe src="javascript:alert(1)">',
  '<style>*{}</style>',
  '<!--',
  '-->',
  '&amp;',
  '&lt;b&gt;',
  '&#0;',
  '&#x1;',
  '&#xD800;',
  '&nbsp;',
  '&unknown;',
  '&',
  '<',
  '>',
  '"',
  "'",
  '`',
  '\\',
  '\u0000',
  '\u0001',
  '\u0008',
  '\u000b',
  '\u000c',
  '\u001b',
  '\u007f',
  '\u0080',
  '\u0085',
  '\u0092',
  '\u009f',
  '\u200b',
  '\u200e',
  '\u200f',
  '\u202a',
  '\u202e',
  '\u2066',
  '\u2069',
  '\u2028',
  '\u2029',
  '\ufeff',
  '\ufffe',
  '\uffff',
  '\ud800',
  '\udfff',
  '😀',
  'é',
  'e\u0301',
  '\r',
  '\r\n',
  '\t',
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  'java\tscript:alert(1)',
  ' javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
  'https://pictures.example/a.jpg?x=1&y=2',
  '---',
  '...',
  '{{x}}',
  '*',
  '_',
  '[',
  ']',
  '(',
  ')',
  '#',
  '|',
  '%',
  '%00',
  '&a',
  '*a',
  '!!js/function',
  '? ',
  ': ',
  '- ',
] as const

/** A string built from hostile fragments and arbitrary text. */
export const hostileString: fc.Arbitrary<string> = fc
  .array(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...hostileFragments) }, { weight: 2, arbitrary: fc.string({ maxLength: 8 }) }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) }), { maxLength: 6 })
  .map((parts) => parts.join(''))

/** A string with at least one letter, so it can be a name with a URL. */
const nameLike: fc.Arbitrary<string> = fc.tuple(hostileString, fc.constantFrom('Ada', 'Bob', 'Zoé', '東京', 'x')).map(([noise, name]) => `${name}${noise}`)

/** URLs of every kind an editor (or an attacker) may write. */
export const anyUrl: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'https://pictures.example/box.jpg',
    'https://news.example/x?a=1&b="2"',
    'http://example.com/a b.png',
    'images/box.svg',
    '../outside.svg',
    '/media/images/box.svg',
    '//evil.example/x.png',
    'javascript:alert(1)',
    'JAVASCRIPT:alert(1)',
    'java\nscript:alert(1)',
    '&#106;avascript:alert(1)',
    'data:image/svg+xml,<svg onload=alert(1)>',
    'vbscript:x',
    'mailto:a@b.example',
    '#top',
    '',
    ' ',
    'https://',
    'http://[::1]/x.png',
    'https://exa mple.com/',
  ),
  fc.tuple(fc.constantFrom('https://pictures.example/', 'images/', '', 'javascript:'), hostileString).map(([base, rest]) => base + rest),
)

/** A front-matter value written as YAML: JSON (a YAML subset), now and then the raw text, which may not be valid YAML. */
function yamlValue(value: fc.Arbitrary<unknown>): fc.Arbitrary<string> {
  return fc.oneof({ weight: 19, arbitrary: value.map((inner) => JSON.stringify(inner)) }, { weight: 1, arbitrary: value.map((inner) => (typeof inner === 'string' ? inner : JSON.stringify(inner))) })
}

/** Mostly valid, now and then anything: an article that publishes is the one whose output is checked. */
function mostly<T, U>(valid: fc.Arbitrary<T>, other: fc.Arbitrary<U>): fc.Arbitrary<T | U> {
  const either: Array<fc.WeightedArbitrary<T | U>> = [{ weight: 9, arbitrary: valid }, { weight: 1, arbitrary: other }]
  return fc.oneof(...either)
}

const isoDate = fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true }).map((date) => date.toISOString())
const dateValue = mostly(isoDate, fc.oneof(fc.constantFrom('2026-11-20', 'yesterday', '2026-13-40T99:00:00Z', '0000-01-01T00:00:00Z', ''), hostileString))
// Web URLs with hostile paths and queries: what a valid article links to.
const webUrl = fc.tuple(fc.constantFrom('https://pictures.example/', 'http://news.example/a?b=1&c=', 'https://例え.jp/'), hostileString).map(([base, rest]) => `${base}${encodeURI(rest.replace(/[\ud800-\udfff]/g, ''))}`)
const someText = hostileString.map((text) => `T${text}`)

const person = mostly(
  fc.oneof(nameLike, fc.record({ name: nameLike, url: webUrl, email: fc.constantFrom('a@b.example', 'q.r@x.example') }, { requiredKeys: ['name'] })),
  fc.record({ name: hostileString, url: anyUrl, email: fc.constantFrom('not an email', '"q"@x.example', '') }),
)

/** Nested lists: a value YAML and the schema must survive, however deep. */
const deep = fc.nat({ max: 60 }).map((depth) => `${'['.repeat(depth)}1${']'.repeat(depth)}`)

/** The front matter of an article, from a grammar of its fields, with hostile values; most of them publish. */
export const frontMatter: fc.Arbitrary<string> = fc
  .record(
    {
      title: yamlValue(mostly(someText, hostileString)),
      date: yamlValue(dateValue),
      updated: yamlValue(dateValue),
      summary: yamlValue(someText),
      slug: yamlValue(mostly(fc.constantFrom('a', 'same', 'x-y', 'ete-2026'), hostileString)),
      author: yamlValue(fc.oneof(person, fc.array(person, { minLength: 1, maxLength: 3 }))),
      tags: yamlValue(fc.array(mostly(nameLike, hostileString), { maxLength: 4 })),
      image: yamlValue(fc.record({ src: mostly(fc.oneof(webUrl, fc.constantFrom('images/box.svg', 'box.svg')), anyUrl), alt: someText, credit: someText, copyright: someText, license: mostly(webUrl, anyUrl) }, { requiredKeys: ['src', 'alt', 'credit'] })),
      sources: yamlValue(fc.array(fc.record({ name: nameLike, url: mostly(webUrl, anyUrl) }), { maxLength: 3 })),
      draft: mostly(fc.constantFrom('false', 'true'), fc.constantFrom('"true"', 'yes')),
      lang: yamlValue(mostly(fc.constantFrom('fr', 'en', 'ar', 'he', 'zh-Hant'), fc.constantFrom('not a tag', ''))),
    },
    { requiredKeys: [] },
  )
  .chain((fields) =>
    // Usually a title and a date, so that the article can publish.
    fc.tuple(mostly(fc.constant(true), fc.constant(false)), mostly(fc.constant(true), fc.constant(false)), mostly(fc.constant(null), deep)).map(([withTitle, withDate, nested]) => {
      const all: Record<string, string> = { ...(withTitle ? { title: '"Un titre"' } : {}), ...(withDate ? { date: '"2026-11-20T10:00:00+01:00"' } : {}), ...fields }
      const lines = Object.entries(all).map(([key, value]) => `${key}: ${value}`)
      // An unknown field holding a deep list: a problem, held back, never a crash.
      if (nested !== null) lines.push(`extra: ${nested}`)
      return lines
    }),
  )
  .chain((lines) =>
    // YAML aliases: a title that repeats the summary, one that refers to nothing, or a billion laughs.
    fc.constantFrom('none', 'none', 'none', 'none', 'none', 'none', 'none', 'alias', 'alias', 'dangling', 'bomb').map((kind) => {
      const others = lines.filter((line) => !line.startsWith('title:') && !line.startsWith('summary:'))
      if (kind === 'alias') return [...others, 'summary: &s "Un résumé ]]> <b>"', 'title: *s']
      if (kind === 'dangling') return [...others, 'title: *nowhere']
      if (kind === 'bomb') return [...lines, 'x: &x [1, 1, 1, 1, 1, 1, 1, 1, 1]', 'y: &y [*x, *x, *x, *x, *x, *x, *x, *x, *x]', 'z: &z [*y, *y, *y, *y, *y, *y, *y, *y, *y]', 'w: [*z, *z, *z, *z, *z, *z, *z, *z, *z]']
      return lines
    }),
  )
  .map((lines) => lines.join('\n'))

const inline: fc.Arbitrary<string> = fc.oneof(
  hostileString,
  fc.tuple(hostileString, anyUrl, hostileString).map(([text, url, title]) => `[${text}](${url} ${JSON.stringify(title)})`),
  fc.tuple(hostileString, anyUrl, hostileString).map(([alt, url, title]) => `![${alt}](${url} ${JSON.stringify(title)})`),
  fc.tuple(hostileString, anyUrl).map(([alt, url]) => `![${alt}](<${url}>)`),
  fc.tuple(hostileString, anyUrl).map(([text, url]) => `<${url}> ${text}`),
  hostileString.map((text) => `*${text}* **${text}** \`${text}\``),
  fc.constantFrom('<script>alert(1)</script>', '<img src="x" onerror="alert(1)">', '<a href="javascript:alert(1)" onclick="x()">x</a>', '<b onmouseover=alert(1)>b</b>', '<math><mi xlink:href="javascript:alert(1)">x</mi></math>', '&#x3C;script&#x3E;', '\\<script>', '[x]: javascript:alert(1)\n\n[y][x]'),
)

const block: fc.Arbitrary<string> = fc.oneof(
  fc.array(inline, { minLength: 1, maxLength: 4 }).map((parts) => parts.join(' ')),
  fc.tuple(fc.nat({ max: 12 }), inline).map(([depth, text]) => `${'> '.repeat(depth)}${text}`),
  fc.tuple(fc.nat({ max: 12 }), inline).map(([depth, text]) => Array.from({ length: depth + 1 }, (_, level) => `${'  '.repeat(level)}- ${text}`).join('\n')),
  fc.tuple(hostileString, hostileString).map(([lang, code]) => `\`\`\`${lang.replace(/[\n`]/g, '')}\n${code}\n\`\`\``),
  fc.tuple(anyUrl, hostileString).map(([url, credit]) => `![${credit}](${url} "© ${credit.replace(/"/g, '')}")`),
  fc.constantFrom('<script>\nalert(1)\n</script>', '<div onclick="x()">\n\n*md*\n\n</div>', '| a | b |\n| - | - |\n| <script> | ]]> |', '---', '# Title\n\n## ]]>', '<!-- comment -->', '<?xml version="1.0"?>', '<![CDATA[ x ]]>'),
)

/** A Markdown body from a grammar of blocks and inlines, with hostile text and URLs. */
export const markdownBody: fc.Arbitrary<string> = fc.array(block, { maxLength: 6 }).map((blocks) => blocks.join('\n\n'))

/** A whole article file: generated front matter and body. */
export const articleFile: fc.Arbitrary<string> = fc.tuple(frontMatter, markdownBody).map(([front, body]) => `---\n${front}\n---\n\n${body}\n`)
