import { describe, expect, it } from 'vitest'
import { formatProblem } from '../../src/content/format-problem.js'
import { parseArticle, type Article, type ArticleDefaults } from '../../src/content/parse-article.js'
import { article } from '../helpers/test-site.js'

const defaults: ArticleDefaults = { language: 'fr', author: { name: 'La rédaction' } }
const howArticlesStart = 'an article starts with a line "---", then lines such as "title: Amazon ouvre un entrepôt à Lyon" and "date: 2026-11-26T09:30:00+01:00", then a line "---"'

/** Nine levels of nine aliases each: 400 bytes that stand for 9^9 strings once expanded. */
function aliasBomb(field: string, leaf = 'lol'): string {
  const names = 'abcdefghi'
  const levels = [...names].map((name, level) => `${name}: &${name} [${Array(9).fill(level === 0 ? leaf : `*${names[level - 1]}`).join(', ')}]`)
  return `---\n${levels.join('\n')}\n${field}: *i\ndate: 2026-11-20T10:00:00Z\n---\n`
}

/** Parse, expecting a valid article. */
function parseValid(file: string, text: string): Article {
  const result = parseArticle(file, text, defaults)
  if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'))
  return result.article
}

/** Parse, expecting problems, and return them as editors read them. */
function problemsOf(file: string, text: string): string[] {
  const result = parseArticle(file, text, defaults)
  if (result.ok) throw new Error(`${file} parsed`)
  return result.problems.map(formatProblem)
}

describe('parseArticle', () => {
  it('reads every field of a complete article', () => {
    const parsed = parseValid(
      'news/Complete Story.md',
      article(
        {
          updated: '2026-11-21T08:00:00Z',
          author: '[{ name: Ada Martin, url: "https://people.example/ada" }, Samir Haddad, ada martin]',
          summary: 'A summary.',
          lang: 'en',
          tags: '[Photo, photo, Vidéo]',
          image: '{ src: lead.jpg, alt: Lead, credit: Someone, copyright: © Someone, license: "https://creativecommons.org/licenses/by/4.0/", role: illustrator }',
          sources: '[{ name: Bloomberg, url: "https://www.bloomberg.com/" }]',
        },
        'Body.\n',
      ),
    )
    expect(parsed).toMatchObject({
      file: 'news/Complete Story.md',
      slug: 'complete-story',
      title: 'Un titre',
      date: new Date('2026-11-20T09:00:00Z'),
      updated: new Date('2026-11-21T08:00:00Z'),
      authors: [
        { name: 'Ada Martin', url: 'https://people.example/ada', slug: 'ada-martin' },
        { name: 'Samir Haddad', slug: 'samir-haddad' },
      ],
      summary: 'A summary.',
      lang: 'en',
      tags: [
        { name: 'Photo', slug: 'photo' },
        { name: 'Vidéo', slug: 'video' },
      ],
      image: { src: 'lead.jpg', alt: 'Lead', credit: 'Someone', copyright: '© Someone', license: 'https://creativecommons.org/licenses/by/4.0/', role: 'illustrator' },
      sources: [{ name: 'Bloomberg', url: 'https://www.bloomberg.com/' }],
      draft: false,
    })
    expect(parsed.body?.trim()).toBe('Body.')
  })

  it('inherits the site language and author and defaults the picture role', () => {
    const parsed = parseValid('a.md', article({ image: '{ src: a.png, alt: A, credit: B }' }))
    expect(parsed.lang).toBe('fr')
    expect(parsed.authors).toEqual([{ name: 'La rédaction', slug: 'la-redaction' }])
    expect(parsed.image?.role).toBe('photographer')
    expect(parsed.tags).toEqual([])
    expect(parsed.sources).toEqual([])
  })

  it('keeps an explicit slug over the file name', () => {
    expect(parseValid('Some File.md', article({ slug: 'chosen-slug' })).slug).toBe('chosen-slug')
  })

  it.each([
    ['Z offset', '2026-11-20T09:00:00Z', '2026-11-20T09:00:00.000Z'],
    ['positive offset', '2026-11-20T10:00:00+01:00', '2026-11-20T09:00:00.000Z'],
    ['negative offset', '2026-11-20T04:00:00-05:00', '2026-11-20T09:00:00.000Z'],
    ['fractional seconds', '2026-11-20T09:00:00.250Z', '2026-11-20T09:00:00.250Z'],
  ])('reads a date with a %s as the same instant on every machine', (_case, written, instant) => {
    expect(parseValid('a.md', article({ date: written })).date.toISOString()).toBe(instant)
  })

  it.each([
    ['a UTF-8 byte-order mark', `\uFEFF${article()}`],
    ['Windows line endings', article().replaceAll('\n', '\r\n')],
    ['a front matter and no body', article({}, '')],
    ['a front matter and no line break after it', article({}, '').trimEnd()],
  ])('parseArticle("a.md", text with %s) is an article', (_case, text) => {
    expect(parseValid('a.md', text).title).toBe('Un titre')
  })

  it.each([
    ['1-based line of the body', article({}, 'First line.\n'), 5],
    ['body line after a longer front matter', article({ summary: 'S', lang: 'en' }, 'First line.\n'), 7],
    ['body line with Windows line endings', article({}, 'First line.\n').replaceAll('\n', '\r\n'), 5],
  ])('records the %s', (_case, text, line) => {
    expect(parseValid('a.md', text).bodyLine).toBe(line)
  })

  it('removes control characters from front matter, raw and from YAML escapes, and leaves the body to the renderer', () => {
    const parsed = parseValid('a.md', article({ title: '"A\u0001B\\u0002C\\x0BD"', summary: '"\\uFFFEsum"' }, 'x\u0008y\n'))
    expect(parsed.title).toBe('ABCD')
    expect(parsed.summary).toBe('sum')
    // Start-up does not scan bodies; ArticleRenderer cleans them (see test/feeds/escaping-and-sanitizing.test.ts).
    expect(parsed.body?.trim()).toBe('x\u0008y')
  })
})

describe('parseArticle problems', () => {
  it.each([
    [{ date: 'yesterday' }, 'a.md:3: date: expected an ISO 8601 date with time zone such as "2026-11-26T09:30:00+01:00", got "yesterday"'],
    [{ date: '2026-11-20T10:00:00' }, 'a.md:3: date: expected an ISO 8601 date with time zone such as "2026-11-26T09:30:00+01:00", got "2026-11-20T10:00:00"'],
    [{ date: '2026-11-20' }, 'a.md:3: date: expected an ISO 8601 date with time zone such as "2026-11-26T09:30:00+01:00", got "2026-11-20"'],
    [{ updated: 'soon' }, 'a.md:4: updated: expected an ISO 8601 date with time zone such as "2026-11-26T09:30:00+01:00", got "soon"'],
    [{ title: '""' }, 'a.md:2: title: expected a non-empty string, got ""'],
    [{ lang: 'FR' }, 'a.md:4: lang: expected a BCP 47 language tag such as "fr" or "en-GB", got "FR"'],
    [{ draft: 'yes' }, 'a.md:4: draft: expected boolean, got "yes"'],
    [{ slug: '"Bad Slug"' }, 'a.md:4: slug: expected lowercase letters, digits and single hyphens, such as "amazon-ratatouille", got "Bad Slug"'],
    [{ author: '42' }, 'a.md:4: author: expected a name, { name, url, email } or a list of them, got 42'],
    [{ author: '[]' }, 'a.md:4: author: expected at least one author, got []'],
    [{ author: '[{ name: X, url: "ftp://x" }]' }, 'a.md:4: author[0].url: expected an absolute http(s) URL, got "ftp://x"'],
    [{ image: '{ src: a.png, alt: x }' }, 'a.md:4: image.credit: required; add a line such as "credit: Christian Wiediger via Unsplash" to image'],
    [{ image: '{ src: a.png, credit: x }' }, 'a.md:4: image.alt: required; add a line such as "alt: What the picture shows" to image'],
    [{ sources: '[{ name: X }]' }, 'a.md:4: sources[0].url: required; add a line such as "url: https://www.bloomberg.com/" to sources[0]'],
    [{ updated: '2026-11-20T08:59:59Z' }, 'a.md:4: updated: expected the time of the last change, not before date: (2026-11-20T10:00:00+01:00), got "2026-11-20T08:59:59Z"'],
    [{ tag: '[Amazon]' }, 'a.md:4: (root): unknown field "tag"; did you mean "tags"?'],
    [{ titel: 'X' }, 'a.md:4: (root): unknown field "titel"; did you mean "title"?'],
    [{ Date: '2026-11-20T10:00:00Z' }, 'a.md:4: (root): unknown field "Date"; did you mean "date"?'],
    [{ autor: 'Ada' }, 'a.md:4: (root): unknown field "autor"; did you mean "author"?'],
    [{ image: '{ src: a.png, alt: x, credit: y, licence: "https://creativecommons.org/licenses/by/4.0/" }' }, 'a.md:4: image: unknown field "licence"; did you mean "license"?'],
    [{ sources: '[{ name: X, url: "https://x.example/", link: "https://x.example/" }]' }, 'a.md:4: sources[0]: unknown field "link"'],
    [{ '<<': '{ summary: S }' }, 'a.md:4: (root): unknown field "<<"; YAML merge keys are not supported, write the fields out'],
    [{ image: '{ src: a.png, alt: x, credit: y, role: Photographer }' }, 'a.md:4: image.role: expected one of "photographer", "illustrator", "graphic designer", "artist", "author", "distribution company", "publishing company", "production company", "manufacturer", got "Photographer"'],
    [{ image: '{ src: "javascript:alert(1)", alt: x, credit: y }' }, 'a.md:4: image.src: expected a path relative to the article file or an http(s) URL, got "javascript:alert(1)"'],
    [{ sources: '[{ name: X, url: "ftp://x" }]' }, 'a.md:4: sources[0].url: expected an absolute http(s) URL, got "ftp://x"'],
    [{ tags: 'Amazon' }, 'a.md:4: tags: expected array, got "Amazon"'],
    [{ foo: 'bar' }, 'a.md:4: (root): unknown field "foo"'],
    [{ tags: '[Amazon, "!!!"]' }, 'a.md:4: tags[1]: expected at least one letter or digit, to make its URL, got "!!!"'],
    [{ author: '"—"' }, 'a.md:4: author: expected a name, { name, url, email } or a list of them, got "—"'],
  ])('parseArticle("a.md", article(%o)) reports %s', (fields, problem) => {
    expect(problemsOf('a.md', article(fields))).toEqual([problem])
  })

  it('points an unknown nested field at its own line', () => {
    const text = ['---', 'title: T', 'date: 2026-11-20T10:00:00Z', 'image:', '  src: a.png', '  alt: A', '  credit: C', '  colour: red', '---', ''].join('\n')
    expect(problemsOf('a.md', text)).toEqual(['a.md:8: image: unknown field "colour"'])
  })

  it.each([
    ['a missing title and date', '---\n---\nBody.\n', ['a.md:1: title: required; add a line such as "title: Amazon ouvre un entrepôt à Lyon"', 'a.md:1: date: required; add a line such as "date: 2026-11-26T09:30:00+01:00"']],
    ['a missing date', '---\ntitle: T\n---\n', ['a.md:1: date: required; add a line such as "date: 2026-11-26T09:30:00+01:00"']],
    ['a list instead of fields', '---\n- a\n- b\n---\nBody.\n', ['a.md:2: front matter: expected a YAML mapping of fields']],
    ['a duplicated key', '---\ntitle: A\ndate: 2026-11-20T10:00:00Z\ntitle: B\n---\n', ['a.md:4: title: written twice, on lines 2 and 4; keep one']],
    ['a duplicated nested key', '---\ntitle: A\ndate: 2026-11-20T10:00:00Z\nimage:\n  src: a.png\n  alt: A\n  src: b.png\n---\n', ['a.md:7: image.src: written twice, on lines 5 and 7; keep one']],
    ['an unquoted ": " in a value', '---\ntitle: Titre : suite\ndate: 2026-11-20T10:00:00Z\n---\n', ['a.md:2: title: the value contains ": "; put it in quotes: title: "Titre : suite"']],
    ['an unquoted ": " after a word', '---\ndate: 2026-11-20T10:00:00Z\ntitle: Amazon: la suite\n---\n', ['a.md:3: title: the value contains ": "; put it in quotes: title: "Amazon: la suite"']],
    ['an unquoted ": " in a nested value', '---\ntitle: T\ndate: 2026-11-20T10:00:00Z\nimage:\n  src: a.png\n  alt: A\n  credit: AFP : Jean Dupont\n---\n', ['a.md:7: image.credit: the value contains ": "; put it in quotes: credit: "AFP : Jean Dupont"']],
    ['an unquoted ": " in a list item', '---\ntitle: T\ndate: 2026-11-20T10:00:00Z\nsources:\n  - name: A\n    url: https://a.example/\n  - name: Le Monde: Idées\n    url: https://b.example/\n---\n', ['a.md:7: sources[1].name: the value contains ": "; put it in quotes: name: "Le Monde: Idées"']],
    ['an unquoted ": " with Windows line endings', '---\r\ntitle: Titre : suite\r\ndate: 2026-11-20T10:00:00Z\r\n---\r\n', ['a.md:2: title: the value contains ": "; put it in quotes: title: "Titre : suite"']],
    ['an anchor and its alias', '---\ntitle: &t T\ndate: 2026-11-20T10:00:00Z\nsummary: *t\n---\n', ['a.md:2: title: YAML anchors (&name) and aliases (*name) are not supported in front matter; write the value out in full']],
    ['an anchored mapping', '---\ntitle: T\ndate: 2026-11-20T10:00:00Z\nimage: &i\n  src: a.png\n---\n', ['a.md:4: image: YAML anchors (&name) and aliases (*name) are not supported in front matter; write the value out in full']],
    ['an alias bomb', aliasBomb('title'), ['a.md:2: a: YAML anchors (&name) and aliases (*name) are not supported in front matter; write the value out in full']],
    ['an alias bomb behind an escape', aliasBomb('title', '"\\u00e9"'), ['a.md:2: a: YAML anchors (&name) and aliases (*name) are not supported in front matter; write the value out in full']],
    ['an alias bomb in a list', aliasBomb('tags'), ['a.md:2: a: YAML anchors (&name) and aliases (*name) are not supported in front matter; write the value out in full']],
    ['a merge of an alias', '---\nbase: &b { summary: S }\ntitle: T\ndate: 2026-11-20T10:00:00Z\n<<: *b\n---\n', ['a.md:2: base: YAML anchors (&name) and aliases (*name) are not supported in front matter; write the value out in full']],
    ['a JavaScript function tag', '---\ntitle: !!js/function "function () {}"\ndate: 2026-11-20T10:00:00Z\n---\n', ['a.md:2: title: the YAML tag !!js/function is not supported; remove it and write a plain value']],
    ['a custom tag', '---\ntitle: T\ndate: 2026-11-20T10:00:00Z\nsummary: !foo S\n---\n', ['a.md:4: summary: the YAML tag !foo is not supported; remove it and write a plain value']],
    ['bad indentation', '---\ntitle: A\n  date: : 2026\n---\n', ['a.md:3: front matter: invalid YAML: bad indentation of a mapping entry']],
    ['an empty file', '', [`a.md:1: file: empty; ${howArticlesStart}`]],
    ['blank lines only', ' \n\n\t\r\n', [`a.md:1: file: only blank lines; ${howArticlesStart}`]],
    ['no front matter', 'Just text.\n', [`a.md:1: front matter: missing; ${howArticlesStart}`]],
    ['a front matter that never closes', '---\ntitle: T\ndate: 2026-11-20T10:00:00Z\n\nBody.\n', ['a.md:1: front matter: never closed; add a line "---" after the last field']],
    ['a lone opening line', '---', ['a.md:1: front matter: never closed; add a line "---" after the last field']],
  ])('reports %s', (_case, text, problems) => {
    expect(problemsOf('a.md', text)).toEqual(problems)
  })

  it('reports a misspelt key both as unknown, with the name it was meant to be, and as missing', () => {
    expect(problemsOf('a.md', article({ sources: '[{ name: X, ulr: "https://x.example/" }]' }))).toEqual([
      'a.md:4: sources[0].url: required; add a line such as "url: https://www.bloomberg.com/" to sources[0]',
      'a.md:4: sources[0]: unknown field "ulr"; did you mean "url"?',
    ])
  })

  it('lists twenty problems of a front matter, then how many more', () => {
    const keys = Object.fromEntries(Array.from({ length: 5000 }, (_, index) => [`k${index}`, '1']))
    const problems = problemsOf('a.md', article(keys))
    expect(problems).toHaveLength(21)
    expect(problems.slice(0, 2)).toEqual(['a.md:4: (root): unknown field "k0"', 'a.md:5: (root): unknown field "k1"'])
    expect(problems[20]).toBe('a.md:1: front matter: 4980 more problems not listed; fix these first')
  })

  it('cuts a huge unknown key to 60 characters', () => {
    expect(problemsOf('a.md', article({ ['k'.repeat(100_000)]: '1' }))).toEqual([`a.md:4: (root): unknown field "${'k'.repeat(57)}..."`])
  })

  it('cuts a huge received value to 80 characters', () => {
    const items = Array<string>(100_000).fill('xxxxxxxxxx')
    expect(problemsOf('a.md', article({ title: JSON.stringify(items) }))).toEqual([`a.md:2: title: expected string, got ${JSON.stringify(items).slice(0, 77)}...`])
  })

  it('reports every problem of a file at once', () => {
    expect(problemsOf('a.md', article({ date: 'yesterday', lang: 'FR' }))).toHaveLength(2)
  })

  it('refuses a file name that gives no slug', () => {
    expect(problemsOf('---.md', article())).toEqual(['---.md:1: slug: the file name gives an empty slug; set `slug:` explicitly'])
  })
})
