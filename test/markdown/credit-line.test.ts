import { describe, expect, it } from 'vitest'
import { formatCreditCaption, parseCreditLine } from '../../src/markdown/credited-figures.js'

describe('parseCreditLine', () => {
  it.each([
    ['© Shutterstock', 'Shutterstock', '© Shutterstock'],
    ['© Christian Wiediger via Unsplash', 'Christian Wiediger via Unsplash', '© Christian Wiediger via Unsplash'],
    ['Shutterstock', 'Shutterstock', undefined],
    ['Christian Wiediger via Unsplash', 'Christian Wiediger via Unsplash', undefined],
    ['(c) Jane Doe', 'Jane Doe', '(c) Jane Doe'],
    ['(C) Jane Doe', 'Jane Doe', '(C) Jane Doe'],
    ['Copyright Jane Doe', 'Jane Doe', 'Copyright Jane Doe'],
    ['copyright: Jane Doe', 'Jane Doe', 'copyright: Jane Doe'],
    ['Copyright © Jane Doe', 'Jane Doe', 'Copyright © Jane Doe'],
    ['© 2026 Jane Doe', 'Jane Doe', '© 2026 Jane Doe'],
    ['© 2019–2026 Jane Doe', 'Jane Doe', '© 2019–2026 Jane Doe'],
    ['© 2019 - 2026, Jane Doe', 'Jane Doe', '© 2019 - 2026, Jane Doe'],
    ['©Jane Doe', 'Jane Doe', '©Jane Doe'],
    ['  © Jane Doe  ', 'Jane Doe', '© Jane Doe'],
    // A mark with nothing after it is still a notice; the notice itself is the credit.
    ['©', '©', '©'],
    ['© 2026', '© 2026', '© 2026'],
    // Words that only start like the mark are not notices.
    ['Copyrighted by Jane', 'Copyrighted by Jane', undefined],
    ['Photo: Jane ©', 'Photo: Jane ©', undefined],
  ])('parseCreditLine(%j) credits %j with notice %j', (title, credit, copyright) => {
    expect(parseCreditLine(title)).toEqual({ credit, copyright })
  })
})

describe('formatCreditCaption', () => {
  it.each([
    ['Shutterstock', '© Shutterstock', '© Shutterstock'],
    ['Jane Doe', '© 2026 Jane Doe', '© 2026 Jane Doe'],
    ['Jane Doe', undefined, 'Jane Doe'],
    ['Jane Doe', 'Jane Doe', 'Jane Doe'],
    ['Jane Doe via Unsplash', '© Unsplash', 'Jane Doe via Unsplash · © Unsplash'],
    ['Creditline', '© 2026 Creditline', '© 2026 Creditline'],
  ])('formatCreditCaption(%j, %j) is %j', (credit, copyright, caption) => {
    expect(formatCreditCaption(credit, copyright)).toBe(caption)
  })

  it.each(['© Shutterstock', 'Jane Doe via Unsplash', '© 2026 Jane Doe', '(c) Agency'])('formatCreditCaption(parseCreditLine(%j)) shows the title as written', (title) => {
    const { credit, copyright } = parseCreditLine(title)
    expect(formatCreditCaption(credit, copyright)).toBe(title)
  })
})
