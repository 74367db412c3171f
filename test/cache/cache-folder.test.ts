import { mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openCacheFolder } from '../../src/cache-folder.js'
import { RenderCache } from '../../src/markdown/render-cache.js'

describe('openCacheFolder', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'creditline-cache-folder-'))
    await writeFile(path.join(dir, 'a-file'), '')
    await symlink(path.join(dir, 'nowhere', 'x'), path.join(dir, 'dangling'))
  })
  afterEach(() => rm(dir, { recursive: true, force: true }))

  it.each([
    ['a-file', 'a-file exists and is not a folder'],
    ['a-file/cache', 'ENOTDIR: not a directory'],
    // Node's recursive mkdir never returns for these two: a parent that exists but cannot hold folders.
    ['dangling', 'dangling exists and is not a folder'],
    ['dangling/cache', 'dangling exists and is not a folder'],
  ])('openCacheFolder(%j) gives no folder and a warning with %j', (name, reason) => {
    const opened = openCacheFolder(path.join(dir, name))
    expect(opened.dir).toBeUndefined()
    expect(opened.warning).toContain(reason)
    expect(opened.warning).toMatch(/running without a disk cache$/)
  })

  it('openCacheFolder("/proc/creditline") gives no folder and a warning, without hanging', () => {
    expect(openCacheFolder('/proc/creditline')).toEqual({ dir: undefined, warning: "the cache folder /proc/creditline cannot be used (ENOENT: no such file or directory, mkdir '/proc/creditline'); running without a disk cache" })
  })

  it('openCacheFolder(a new nested folder) creates it', async () => {
    const nested = path.join(dir, 'a', 'b', 'c')
    expect(openCacheFolder(nested)).toEqual({ dir: nested })
    expect(await readdir(nested)).toEqual([])
  })

  it('new RenderCache(a folder that cannot be made) keeps renders in memory', () => {
    const cache = new RenderCache(path.join(dir, 'a-file', 'cache'))
    expect(cache.inMemory).toBe(true)
    cache.set('k', { html: '<p>x</p>', excerpt: 'x', rejected: [], images: [] })
    expect(cache.get('k')?.html).toBe('<p>x</p>')
  })
})
