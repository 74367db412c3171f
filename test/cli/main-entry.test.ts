import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { article, createTestSite, type TestSite, testId } from '../helpers/test-site.js'

const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url))
const main = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url))

/** Run the real entry point as `npm run cli` does, and wait for it to exit. */
function runEntry(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, [main, ...args], { cwd, env: { ...process.env, BASE_URL: 'https://news.example', CACHE_DIR: '' } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

describe('src/cli/main.ts run by tsx', () => {
  let site: TestSite | undefined
  afterEach(async () => {
    await site?.dispose()
    site = undefined
  })

  it('tsx src/cli/main.ts check exits 1 and prints the problem', async () => {
    site = await createTestSite({ 'a.md': article({ id: testId(1) }), 'b.md': article({ date: '2026-11-20' }) })
    expect(await runEntry(['check'], site.dir)).toEqual({
      code: 1,
      stdout: '2 articles checked, 1 problem in 1 file\n',
      stderr: 'content/b.md:3: date: expected an ISO 8601 date with time zone such as "2026-11-26T09:30:00+01:00", got "2026-11-20" (held back)\n',
    })
    // Starting tsx and the whole module graph cold is slow on a loaded machine; this is not a timing assertion.
  }, 60_000)
})
