import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pino } from 'pino'
import { afterEach, describe, expect, it } from 'vitest'
import { ContentStore } from '../../src/content/content-store.js'
import { article } from '../helpers/test-site.js'
import { waitFor } from '../helpers/wait-for.js'

interface LogLine {
  level: number
  event?: string
  file?: string
  field?: string
  msg: string
}

/** A content store watching a temporary folder, with its log kept as parsed lines. */
async function openWatchedStore(files: Record<string, string>) {
  const dir = await mkdtemp(path.join(tmpdir(), 'creditline-log-'))
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true })
    await writeFile(path.join(dir, file), text)
  }
  const lines: LogLine[] = []
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) })
  const store = await ContentStore.open({ contentDir: dir, defaults: { language: 'fr', author: { name: 'La rédaction' } }, logger, watch: true, now: () => new Date('2026-11-26T12:00:00Z') })
  await store.watching
  return { dir, lines, store, dispose: async () => (await store.close(), await rm(dir, { recursive: true, force: true })) }
}

describe('problems found while the server runs', () => {
  let opened: Awaited<ReturnType<typeof openWatchedStore>> | undefined
  afterEach(async () => {
    await opened?.dispose()
    opened = undefined
  })

  it('a new file that takes a published slug is logged as a warning naming both files', async () => {
    opened = await openWatchedStore({ 'sub/new.md': article({ title: '"Published"' }) })
    const { store, lines, dir } = opened
    expect(store.catalog.bySlug.get('new')?.file).toBe('sub/new.md')
    await writeFile(path.join(dir, 'dup.md'), article({ title: '"Newcomer"', slug: 'new' }))
    const warning = await waitFor(() => lines.find((line) => line.level === 40 && line.field === 'slug'), { what: 'the duplicate slug warning' })
    expect(warning).toMatchObject({ event: 'problem', file: 'sub/new.md', msg: 'sub/new.md: slug: duplicate slug "new", already used by dup.md; this file is not published (held back)', effect: 'held back' })
  })

  it('a problem already logged is not logged again at the next edit', async () => {
    opened = await openWatchedStore({ 'a.md': article({ slug: 'same' }), 'b.md': article({ slug: 'same' }), 'c.md': article() })
    const { store, lines, dir } = opened
    const version = store.catalog.version
    await writeFile(path.join(dir, 'c.md'), article({ title: '"Edited"' }))
    await waitFor(() => (store.catalog.version !== version ? true : undefined), { what: 'the edit to be published' })
    expect(lines.filter((line) => line.field === 'slug')).toEqual([])
  })
})
