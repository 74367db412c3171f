import { pino } from 'pino'
import { describe, expect, it } from 'vitest'
import { article, createTestSite, testId } from '../helpers/test-site.js'
import { waitFor } from '../helpers/wait-for.js'

interface LogLine {
  level: number
  event?: string
  file?: string
  field?: string
  msg: string
}

describe('problems found while the server runs', () => {
  // The catalog only keeps the slug for the first file; the site's problem audit logs the clash.
  it('a new file that takes a published slug is logged as a warning naming both files', async () => {
    const lines: LogLine[] = []
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) })
    const site = await createTestSite({ 'sub/new.md': article({ title: '"Published"', id: testId(1) }) }, { watch: true, logger })
    try {
      expect(site.store.catalog.bySlug.get('new')?.file).toBe('sub/new.md')
      await site.write('dup.md', article({ title: '"Newcomer"', slug: 'new', id: testId(2) }))
      const warning = await waitFor(() => lines.find((line) => line.level === 40 && line.field === 'slug'), { what: 'the duplicate slug warning' })
      expect(warning).toMatchObject({ event: 'problem', file: 'sub/new.md', msg: 'sub/new.md: slug: duplicate slug "new", already used by dup.md:4; this file is not published (held back)', effect: 'held back' })
      expect(lines.filter((line) => line.field === 'slug')).toHaveLength(1)
    } finally {
      await site.dispose()
    }
  })

  it('a problem already logged is not logged again at the next edit', async () => {
    const lines: LogLine[] = []
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) })
    const site = await createTestSite({ 'a.md': article({ slug: 'same' }), 'b.md': article({ slug: 'same' }), 'c.md': article() }, { watch: true, logger })
    try {
      await site.audit.checked
      const version = site.store.catalog.version
      await site.write('c.md', article({ title: '"Edited"' }))
      await waitFor(() => (site.store.catalog.version !== version ? true : undefined), { what: 'the edit to be published' })
      // Once, at start-up: the edit of another file logs neither the clash nor the missing ids again.
      expect(lines.filter((line) => line.event === 'problem').map((line) => line.msg.slice(0, 30))).toEqual(['a.md:1: warning: id: missing: ', 'b.md:4: slug: duplicate slug "', 'c.md:1: warning: id: missing: '])
    } finally {
      await site.dispose()
    }
  })
})
