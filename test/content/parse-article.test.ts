import { describe, expect, it } from 'vitest'
import { formatProblem } from '../../src/content/format-problem.js'
import { parseArticle, type Article, type ArticleDefaults } from '../../src/content/parse-article.js'
import { article } from '../helpers/test-site.js'

const defaults: ArticleDefaults = { language: 'fr', author: { name: 'La rédaction' } }

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
    [{ image: '{ src: a.png, alt: x }' }, 'a.md:4: image.credit: required, expected string'],
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
    ['a missing title and date', '---\n---\nBody.\n', ['a.md: title: required, expected string', 'a.md: date: required, expected string']],
    ['a list instead of fields', '---\n- a\n- b\n---\nBody.\n', ['a.md:2: front matter: expected a YAML mapping of fields']],
    ['a duplicated key', '---\ntitle: A\ndate: 2026-11-20T10:00:00Z\ntitle: B\n---\n', ['a.md:4: front matter: invalid YAML: duplicated mapping key']],
    ['bad indentation', '---\ntitle: A\n  date: : 2026\n---\n', ['a.md:3: front matter: invalid YAML: bad indentation of a mapping entry']],
  ])('reports %s', (_case, text, problems) => {
    expect(problemsOf('a.md', text)).toEqual(problems)
  })

  it('reports every problem of a file at once', () => {
    expect(problemsOf('a.md', article({ date: 'yesterday', lang: 'FR' }))).toHaveLength(2)
  })

  it('refuses a file name that gives no slug', () => {
    expect(problemsOf('---.md', article())).toEqual(['---.md: slug: the file name gives an empty slug; set `slug:` explicitly'])
  })
})
