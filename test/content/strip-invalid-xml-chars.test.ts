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
  ])('stripInvalidXmlChars removes %s', (_case, input, output) => {
    expect(stripInvalidXmlChars(input)).toBe(output)
  })

  it.each([
    ['tab, LF and CR', 'a\tb\nc\r\nd'],
    ['DEL and C1 controls, which XML 1.0 allows', 'a\u007Fb\u0085c\u009Fd'],
    ['an emoji (a valid surrogate pair)', 'photo 📷 credit'],
    ['accents, quotes and symbols', '« Ratatouille » © É & < > " \''],
    ['U+FFFD and private use', '\uFFFD\uE000'],
    ['the empty string', ''],
  ])('stripInvalidXmlChars keeps %s', (_case, input) => {
    expect(stripInvalidXmlChars(input)).toBe(input)
  })
})
