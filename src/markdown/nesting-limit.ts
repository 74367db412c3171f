/** How deeply an article's Markdown may nest (lists, quotes, brackets, emphasis). */
export const maxNestingDepth = 100

/** Where and how a Markdown text nests deeper than allowed. */
export interface TooDeepNesting {
  /** 1-based line of the body on which the limit is passed. */
  line: number
  what: 'lists and quotes' | 'brackets' | 'emphasis'
}

/**
 * The first place where `markdown` nests deeper than `limit`, or `undefined`. One pass
 * over the text, without parsing: micromark and the rehype tools recurse once per level
 * and spend time quadratic in the depth (10,000 levels of `- ` took over 30 s and then
 * overflowed the stack), so the depth is measured before they see the text. Written by
 * hand because no parser measures depth without doing that work. The measure errs on the
 * side of counting more than CommonMark would, never less:
 * - lists and quotes: on each line, the `>` and list markers that start it, plus one
 *   level per two columns of indentation before a list marker (how nested lists are written);
 * - brackets: `[` not yet closed by `]` in the same paragraph (links and images nest);
 * - emphasis: `*` and `_` still open, counted when a closing run arrives, per paragraph.
 * Code blocks are measured too: deciding where they end is the parser's costly work.
 */
export function findTooDeepNesting(markdown: string, limit = maxNestingDepth): TooDeepNesting | undefined {
  let line = 1
  let brackets = 0
  let emphasis = 0
  let at = 0
  const length = markdown.length
  while (at < length) {
    let end = markdown.indexOf('\n', at)
    if (end === -1) end = length
    const prefix = measurePrefix(markdown, at, end)
    if (prefix.depth > limit) return { line, what: 'lists and quotes' }
    if (prefix.blank) {
      // A blank line ends a paragraph, and with it every bracket and emphasis left open.
      brackets = 0
      emphasis = 0
    } else {
      for (let index = prefix.end; index < end; index++) {
        const code = markdown.charCodeAt(index)
        if (code === 92 /* \ */) {
          index++
        } else if (code === 91 /* [ */) {
          if (++brackets > limit) return { line, what: 'brackets' }
        } else if (code === 93 /* ] */) {
          if (brackets > 0) brackets--
        } else if (code === 42 /* * */ || code === 95 /* _ */) {
          let runEnd = index + 1
          while (runEnd < end && markdown.charCodeAt(runEnd) === code) runEnd++
          const run = runEnd - index
          const side = flankingOf(markdown, index, runEnd, at, end)
          if (side === 'closer' || (side === 'both' && emphasis > 0)) {
            if (emphasis > limit) return { line, what: 'emphasis' }
            emphasis = Math.max(0, emphasis - run)
          } else if (side !== 'neither') {
            emphasis += run
          }
          index = runEnd - 1
        }
      }
    }
    at = end + 1
    line++
  }
  return undefined
}

/** The container markers that start a line: how many levels they open, and where its text starts. */
function measurePrefix(text: string, start: number, end: number): { depth: number; end: number; blank: boolean } {
  let depth = 0
  let index = start
  let columns = 0
  for (;;) {
    while (index < end && (text.charCodeAt(index) === 32 || text.charCodeAt(index) === 9 || text.charCodeAt(index) === 13)) {
      columns += text.charCodeAt(index) === 9 ? 4 : 1
      index++
    }
    if (index >= end) return { depth, end: index, blank: depth === 0 }
    const code = text.charCodeAt(index)
    if (code === 62 /* > */) {
      depth++
      index++
      continue
    }
    const marker = listMarkerEnd(text, index, end)
    if (marker === undefined) return { depth, end: index, blank: false }
    depth += 1 + Math.floor(columns / 2)
    columns = 0
    index = marker
  }
}

/** End of a list marker (`-`, `*`, `+`, `1.`, `1)`) at `index` followed by white space or the line end, else `undefined`. */
function listMarkerEnd(text: string, index: number, end: number): number | undefined {
  let after = index
  const code = text.charCodeAt(index)
  if (code === 45 /* - */ || code === 42 /* * */ || code === 43 /* + */) {
    after++
  } else {
    while (after < end && after - index < 9 && isDigit(text.charCodeAt(after))) after++
    const delimiter = text.charCodeAt(after)
    if (after === index || after >= end || (delimiter !== 46 /* . */ && delimiter !== 41 /* ) */)) return undefined
    after++
  }
  if (after < end && text.charCodeAt(after) !== 32 && text.charCodeAt(after) !== 9) return undefined
  return after
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57
}

/** Whether a run of `*` or `_` can open or close emphasis (CommonMark's flanking rules, simplified). */
function flankingOf(text: string, start: number, end: number, lineStart: number, lineEnd: number): 'opener' | 'closer' | 'both' | 'neither' {
  const before = start > lineStart ? text.charAt(start - 1) : ' '
  const after = end < lineEnd ? text.charAt(end) : ' '
  const left = !isSpace(after) && (!isPunctuation(after) || isSpace(before) || isPunctuation(before))
  const right = !isSpace(before) && (!isPunctuation(before) || isSpace(after) || isPunctuation(after))
  return left && right ? 'both' : left ? 'opener' : right ? 'closer' : 'neither'
}

function isSpace(char: string): boolean {
  const code = char.charCodeAt(0)
  return code < 128 ? code === 32 || (code >= 9 && code <= 13) : /\s/u.test(char)
}

function isPunctuation(char: string): boolean {
  const code = char.charCodeAt(0)
  if (code < 128) return (code >= 33 && code <= 47) || (code >= 58 && code <= 64) || (code >= 91 && code <= 96) || (code >= 123 && code <= 126)
  return /[\p{P}\p{S}]/u.test(char)
}
