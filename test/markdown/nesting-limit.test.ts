import { describe, expect, it } from 'vitest'
import { findTooDeepNesting } from '../../src/markdown/nesting-limit.js'

const indentedList = (levels: number) => Array.from({ length: levels }, (_, level) => `${' '.repeat(2 * level)}- level ${level + 1}`).join('\n')

describe('findTooDeepNesting', () => {
  it.each([
    ['101 list markers on a line', `${'- '.repeat(101)}deep\n`, { line: 1, what: 'lists and quotes' }],
    ['101 ordered list markers', `${'1. '.repeat(101)}deep\n`, { line: 1, what: 'lists and quotes' }],
    ['101 quote markers', `${'> '.repeat(101)}deep\n`, { line: 1, what: 'lists and quotes' }],
    ['a list indented 101 levels deep', `Intro.\n\n${indentedList(101)}\n`, { line: 103, what: 'lists and quotes' }],
    ['101 open brackets', `${'['.repeat(101)}deep\n`, { line: 1, what: 'brackets' }],
    ['101 nested images over two lines', `${'!['.repeat(60)}\n${'!['.repeat(41)}x${'](u)'.repeat(101)}\n`, { line: 2, what: 'brackets' }],
    ['emphasis 101 levels deep', `${'*'.repeat(101)}deep${'*'.repeat(101)}\n`, { line: 1, what: 'emphasis' }],
    ['101 nested strong runs', `${'**a '.repeat(101)}deep${' b**'.repeat(101)}\n`, { line: 1, what: 'emphasis' }],
  ])('findTooDeepNesting(%s) finds where', (_name, markdown, expected) => {
    expect(findTooDeepNesting(markdown)).toEqual(expected)
  })

  it.each([
    ['100 list markers', `${'- '.repeat(100)}deep\n`],
    ['a list indented 100 levels deep', indentedList(100)],
    ['100 open brackets', `${'['.repeat(100)}deep\n`],
    ['brackets left open in separate paragraphs', `${'['.repeat(80)}\n\n${'['.repeat(80)}\n`],
    ['escaped brackets', '\\['.repeat(500)],
    ['emphasis side by side', '*a* **b** _c_ '.repeat(2000)],
    ['words joined by underscores', 'snake_case_name '.repeat(2000)],
    ['Python code that never closes its stars', `\`\`\`python\n${'def f(*args, **kwargs):\n    return g(*args)\n'.repeat(300)}\`\`\`\n`],
    ['products in a formula', '2 * 3 * 4 '.repeat(500)],
  ])('findTooDeepNesting(%s) is undefined', (_name, markdown) => {
    expect(findTooDeepNesting(markdown)).toBeUndefined()
  })

  it('findTooDeepNesting(text, 3) applies the limit given', () => {
    expect(findTooDeepNesting('> > > > four\n', 3)).toEqual({ line: 1, what: 'lists and quotes' })
    expect(findTooDeepNesting('> > > three\n', 3)).toBeUndefined()
  })
})
