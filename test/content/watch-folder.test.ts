import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { watchFolder, type FolderWatcher } from '../../src/content/watch-folder.js'
import { waitFor } from '../helpers/wait-for.js'

describe('watchFolder(root, handlers)', () => {
  let root: string
  let watcher: FolderWatcher | undefined
  let paths: string[]
  let folderChanges: number
  let errors: Error[]

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'creditline-watch-'))
    await mkdir(path.join(root, '2026', '11'), { recursive: true })
    await mkdir(path.join(root, '.git'))
    paths = []
    folderChanges = 0
    errors = []
  })

  afterEach(async () => {
    watcher?.close()
    await rm(root, { recursive: true, force: true })
  })

  async function start(at = root): Promise<FolderWatcher> {
    watcher = watchFolder(at, {
      includeFolder: (folder) => !folder.split('/').some((part) => part.startsWith('.')),
      onPath: (file) => paths.push(file),
      onFolders: () => folderChanges++,
      onError: (error) => errors.push(error),
    })
    await watcher.ready
    return watcher
  }

  it.each([
    ['a file at the root', 'a.md', 'a.md'],
    ['a file two folders down, with / separators', path.join('2026', '11', 'b.md'), '2026/11/b.md'],
  ])('reports %s', async (_case, file, expected) => {
    await start()
    await writeFile(path.join(root, file), 'text')
    expect(await waitFor(() => (paths.includes(expected) ? paths : undefined), { what: expected })).toContain(expected)
    expect(errors).toEqual([])
  })

  it.each([
    ['a new folder', 'new', async () => mkdir(path.join(root, 'new'))],
    // The new folder often has the inode just freed: only its creation time tells them apart.
    [
      'a folder deleted and made again under the same name',
      '2026',
      async () => {
        await rm(path.join(root, '2026'), { recursive: true })
        await mkdir(path.join(root, '2026'))
      },
    ],
  ])('reports %s, and the files in it once synced', async (_case, folder, change) => {
    const running = await start()
    await change()
    await waitFor(() => folderChanges > 0 || undefined, { what: `the change to ${folder}` })
    await running.sync()
    await writeFile(path.join(root, folder, 'c.md'), 'text')
    await waitFor(() => paths.includes(`${folder}/c.md`) || undefined, { what: `the file in ${folder}` })
  })

  it('reports a folder moved away', async () => {
    await start()
    await rename(path.join(root, '2026'), path.join(path.dirname(root), `${path.basename(root)}-moved`))
    try {
      await waitFor(() => folderChanges > 0 || undefined, { what: 'the moved folder' })
    } finally {
      await rm(path.join(path.dirname(root), `${path.basename(root)}-moved`), { recursive: true, force: true })
    }
  })

  it('does not watch a folder it is told to leave out', async () => {
    await start()
    await writeFile(path.join(root, '.git', 'index'), 'text')
    // A file written after it: once that is reported, the other would have been too.
    await writeFile(path.join(root, 'after.md'), 'text')
    await waitFor(() => paths.includes('after.md') || undefined, { what: 'the later file' })
    expect(paths.filter((file) => file.startsWith('.git/'))).toEqual([])
  })

  it('starts on a folder that does not exist without throwing', async () => {
    await start(path.join(root, 'missing'))
    expect(errors).toEqual([])
  })
})
