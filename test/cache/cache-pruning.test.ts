import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { runCli } from '../../src/cli/main.js'
import { fragmentDir } from '../../src/feeds/fragment-store.js'
import { captureIo } from '../cli/captured-io.js'
import { article, createTestSite, type TestSite } from '../helpers/test-site.js'
import { waitFor } from '../helpers/wait-for.js'

const longAgo = new Date('2026-01-01T00:00:00Z')

/** A cache file last used long ago: what an edited article or an older version leaves. */
async function writeStale(file: string, text = 'stale\n'): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true })
  await writeFile(file, text)
  await utimes(file, longAgo, longAgo)
}

/** Files one shard level below `folder`, as the caches store them. */
async function listSharded(folder: string): Promise<string[]> {
  const files: string[] = []
  for (const shard of await readdir(folder, { withFileTypes: true }).catch(() => [])) {
    if (shard.isDirectory() && /^[0-9a-f]{2}$/.test(shard.name)) files.push(...(await readdir(path.join(folder, shard.name))).map((name) => `${shard.name}/${name}`))
  }
  return files.sort()
}

const files = { 'a.md': article({ title: '"A"' }), 'b.md': article({ title: '"B"', date: '2026-11-21T10:00:00+01:00' }) }
const staleRender = `ff/${'f'.repeat(64)}.json`
const staleItem = `ee/${'e'.repeat(64)}`

describe('caches on disk stay bounded', () => {
  let site: TestSite | undefined
  afterEach(async () => {
    await site?.dispose()
    site = undefined
  })

  it('export removes the renders and stored items it did not use, and keeps the rest', async () => {
    site = await createTestSite(files)
    const cacheDir = path.join(site.dir, 'cache')
    const io = captureIo(site.dir, { CACHE_DIR: cacheDir })
    expect(await runCli(['export', '--out', 'out'], io)).toBe(0)
    const renders = await listSharded(cacheDir)
    const items = await listSharded(fragmentDir(cacheDir))
    expect(renders).toHaveLength(2)
    expect(items.length).toBeGreaterThan(0)
    await writeStale(path.join(cacheDir, staleRender))
    await writeStale(path.join(fragmentDir(cacheDir), staleItem))
    // Used by the first export long ago: the second one uses them again, so they stay.
    for (const file of renders) await utimes(path.join(cacheDir, file), longAgo, longAgo)
    for (const file of items) await utimes(path.join(fragmentDir(cacheDir), file), longAgo, longAgo)
    expect(await runCli(['export', '--out', 'out'], captureIo(site.dir, { CACHE_DIR: cacheDir }))).toBe(0)
    expect(await listSharded(cacheDir)).toEqual(renders)
    expect(await listSharded(fragmentDir(cacheDir))).toEqual(items)
  })

  it('the server removes the renders none of its articles used, once it has rendered them all', async () => {
    const cacheDir = await mkdtemp(path.join(tmpdir(), 'creditline-prune-'))
    try {
      await writeStale(path.join(cacheDir, staleRender))
      site = await createTestSite(files, { env: { CACHE_DIR: cacheDir } })
      expect(await site.audit.checked).toBe(true)
      const renders = await waitFor(async () => {
        const listed = await listSharded(cacheDir)
        return listed.includes(staleRender) ? undefined : listed
      }, { what: 'the stale render to be removed' })
      expect(renders).toHaveLength(2)
    } finally {
      await rm(cacheDir, { recursive: true, force: true })
    }
  })

  it('saving a front-matter index keeps the four written last in the cache folder', async () => {
    site = await createTestSite(files)
    const cacheDir = path.join(site.dir, 'cache')
    const old = Array.from({ length: 6 }, (_, index) => `front-matter-${String(index).repeat(16)}.json`)
    for (const [index, name] of old.entries()) {
      await writeStale(path.join(cacheDir, name))
      const time = new Date(longAgo.getTime() + index * 60_000)
      await utimes(path.join(cacheDir, name), time, time)
    }
    expect(await runCli(['export', '--out', 'out'], captureIo(site.dir, { CACHE_DIR: cacheDir }))).toBe(0)
    const indexes = (await readdir(cacheDir)).filter((name) => name.startsWith('front-matter-'))
    expect(indexes).toHaveLength(4)
    // The one just written, and the three other most recent.
    expect(indexes.filter((name) => !old.includes(name))).toHaveLength(1)
    expect(indexes.filter((name) => old.includes(name)).sort()).toEqual(old.slice(3))
  })
})
