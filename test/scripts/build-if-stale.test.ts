import { execFile } from 'node:child_process'
import { copyFile, mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

const script = new URL('../../scripts/build-if-stale.mjs', import.meta.url)
const run = promisify(execFile)

// A project of its own whose `build` script only records that it ran.
async function createProject(): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'creditline-start-'))
  const files: Record<string, string> = {
    'package.json': JSON.stringify({ name: 'p', version: '1.0.0', scripts: { build: 'node -e "require(\'fs\').appendFileSync(\'builds.txt\', \'built\\\\n\')"' } }),
    'package-lock.json': '{}',
    'tsconfig.json': '{}',
    'src/server.ts': 'export {}\n',
    'dist/bundle/server.js': '',
    'dist/cli/main.js': '',
  }
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true })
    await writeFile(path.join(root, file), text)
  }
  await mkdir(path.join(root, 'scripts'))
  await copyFile(script, path.join(root, 'scripts/build-if-stale.mjs'))
  const before = new Date('2026-01-01T00:00:00Z')
  for (const file of ['package.json', 'package-lock.json', 'tsconfig.json', 'src/server.ts', 'src', 'scripts/build-if-stale.mjs', 'scripts']) await utimes(path.join(root, file), before, before)
  return root
}

async function buildsOf(root: string): Promise<number> {
  const text = await readFile(path.join(root, 'builds.txt'), 'utf8').catch(() => '')
  return text.split('\n').filter(Boolean).length
}

describe('scripts/build-if-stale.mjs (npm start)', () => {
  let root: string
  beforeEach(async () => (root = await createProject()))
  afterEach(() => rm(root, { recursive: true, force: true }))

  const later = () => new Date(Date.now() + 60_000)
  it.each([
    { what: 'a build newer than every source', change: async () => undefined, builds: 0 },
    { what: 'a source saved after the build', change: (dir: string) => utimes(path.join(dir, 'src/server.ts'), later(), later()), builds: 1 },
    { what: 'a dependency locked after the build', change: (dir: string) => utimes(path.join(dir, 'package-lock.json'), later(), later()), builds: 1 },
    { what: 'no bundle', change: (dir: string) => rm(path.join(dir, 'dist/bundle/server.js')), builds: 1 },
  ])('with $what runs the build $builds time(s)', async ({ change, builds }) => {
    await change(root)
    await run(process.execPath, [path.join(root, 'scripts/build-if-stale.mjs')], { cwd: root })
    expect(await buildsOf(root)).toBe(builds)
  })
})
