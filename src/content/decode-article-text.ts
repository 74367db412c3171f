/**
 * An article file whose bytes are not UTF-8 text: another encoding (Latin-1,
 * Windows-1252, UTF-16) or binary data. Carries where the first bad byte is, so the
 * editor can find it.
 */
export class ArticleTextError extends Error {
  /** 1-based line of the first bad byte, counted in the whole file. */
  readonly line: number
  /** 1-based column, in characters, of that byte on its line. */
  readonly column: number

  constructor(message: string, line: number, column: number) {
    super(message)
    this.name = 'ArticleTextError'
    this.line = line
    this.column = column
  }
}

// One decoder for every file: `decode` without `stream` keeps no state between calls.
// Fatal, because the default decoder replaces bad bytes with U+FFFD, which would then be
// published as text ("m�rite") in every feed.
const utf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * Decode the bytes of an article file (or of its start, counted from the file's first
 * byte) as UTF-8, without the byte-order mark.
 *
 * @throws {ArticleTextError} when the bytes are UTF-16, contain a NUL byte (binary data), or are not valid UTF-8
 */
export function decodeArticleText(bytes: Uint8Array): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new ArticleTextError('saved as UTF-16 (it starts with a UTF-16 byte-order mark); save the file as UTF-8', 1, 1)
  }
  const nul = bytes.indexOf(0)
  if (nul !== -1) {
    const { line, column } = positionOf(bytes, nul)
    throw new ArticleTextError(`binary data (a NUL byte) at line ${line}, column ${column}; an article is a UTF-8 text file`, line, column)
  }
  try {
    return utf8.decode(bytes)
  } catch {
    const at = findInvalidUtf8(bytes)
    const { line, column } = positionOf(bytes, at)
    const byte = `0x${(bytes[at] ?? 0).toString(16).toUpperCase().padStart(2, '0')}`
    throw new ArticleTextError(`not valid UTF-8 at line ${line}, column ${column} (byte ${byte}): save the file as UTF-8`, line, column)
  }
}

/** Line and column (in characters, after a byte-order mark) of a byte, from the valid bytes before it. */
function positionOf(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1
  let lineStart = 0
  for (let index = bytes.indexOf(10); index !== -1 && index < offset; index = bytes.indexOf(10, index + 1)) {
    line++
    lineStart = index + 1
  }
  // The bytes before `offset` are valid UTF-8, so they decode to the characters an editor counts.
  const before = new TextDecoder('utf-8', { ignoreBOM: lineStart !== 0 }).decode(bytes.subarray(lineStart, offset))
  return { line, column: [...before].length + 1 }
}

/**
 * Offset of the first byte that does not belong to a well-formed UTF-8 sequence
 * (RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF). Written by hand
 * because TextDecoder and Buffer only say whether the whole input is valid, not where it
 * stops being so; it runs only once decoding has failed.
 */
function findInvalidUtf8(bytes: Uint8Array): number {
  for (let index = 0; index < bytes.length; ) {
    const lead = bytes[index]!
    const length = lead < 0x80 ? 1 : lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0
    if (length === 0) return index
    for (let next = 1; next < length; next++) if (((bytes[index + next] ?? 0) & 0xc0) !== 0x80) return index
    const second = bytes[index + 1] ?? 0
    if ((lead === 0xe0 && second < 0xa0) || (lead === 0xed && second > 0x9f) || (lead === 0xf0 && second < 0x90) || (lead === 0xf4 && second > 0x8f)) return index
    index += length
  }
  return bytes.length
}
