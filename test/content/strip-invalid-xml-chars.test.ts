import { describe, expect, it } from 'vitest'
import { stripInvalidXmlChars } from '../../src/content/xml-chars.js'

describe('stripInvalidXmlChars', () => {
  it.each([
    ['NUL', 'a\u0000b', 'ab'],
    ['bell', 'a\u0007b', 'ab'],
    ['backspace', 'a\u0008b', 'ab'],
    ['vertical tab', 'a\u000Bb', 'ab'],
    ['form feed', 'a\u000Cb', 'ab'],
    ['unit separator', 'a\u001Fb', 'ab'],
    ['U+FFFE', 'a\uFFFEb', 'ab'],
    ['U+FFFF', 'a\uFFFFb', 'ab'],
    ['a lone high surrogate', 'a\uD83Db', 'ab'],
    ['a lone low surrogate', 'a\uDE00b', 'ab'],
    ['a high surrogate at the end', 'ab\uD83D', 'ab'],
    ['several in a row', '\u0001\u0002a\u0003', 'a'],
    ['DEL', 'a\u007Fb', 'ab'],
    ['a Windows-1252 apostrophe read as Latin-1 (C1)', 'l\u0092enquête', 'l’enquête'],
    ['Windows-1252 quotes, dashes and the euro sign read as Latin-1', '\u0093Ratatouille\u0094 \u0096 5 \u0080', '“Ratatouille” – 5 €'],
    ['NEL, the ellipsis in Windows-1252', 'a\u0085', 'a…'],
    ['C1 codes Windows-1252 leaves undefined', 'a\u0081\u008D\u008F\u0090\u009Db', 'ab'],
  ])('stripInvalidXmlChars removes %s', (_case, input, output) => {
    expect(stripInvalidXmlChars(input)).toBe(output)
  })

  it.each([
    ['tab, LF and CR', 'a\tb\nc\r\nd'],
    ['an emoji (a valid surrogate pair)', 'photo 📷 credit'],
    ['accents, quotes and symbols', '« Ratatouille » © É & < > " \''],
    ['U+FFFD and private use', '\uFFFD\uE000'],
    ['the empty string', ''],
  ])('stripInvalidXmlChars keeps %s', (_case, input) => {
    expect(stripInvalidXmlChars(input)).toBe(input)
  })
})
