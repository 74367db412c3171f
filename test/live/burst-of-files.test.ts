import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Catalog } from '../../src/content/catalog.js'
import { article, createTestSite } from '../helpers/test-site.js'
import { waitFor } from '../helpers/wait-for.js'

describe('a burst of files (a git pull)', () => {
  it('20 files written one after another are published as one new version', async () => {
    const site = await createTestSite({ 'kept.md': article({ title: '"Gardé"' }) }, { watch: true })
    try {
      const versions: Catalog[] = []
      site.store.on('change', (catalog) => versions.push(catalog))
      for (let index = 0; index < 20; index++) {
        await writeFile(path.join(site.contentDir, `new-${index}.md`), article({ title: `"Nouveau ${index}"`, date: '2026-11-21T10:00:00+01:00' }))
      }
      await waitFor(() => (site.store.catalog.articles.length === 21 ? true : undefined), { what: 'the 20 new articles' })
      expect(versions.map((catalog) => catalog.articles.length)).toEqual([21])
    } finally {
      await site.dispose()
    }
  })
})
