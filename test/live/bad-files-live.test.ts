import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { formatProblem, type Problem } from '../../src/content/format-problem.js'
import { badShapes } from '../helpers/file-shapes.js'
import { article, createTestSite, type TestSite, withoutWarnings } from '../helpers/test-site.js'
import { waitFor } from '../helpers/wait-for.js'

// Read with its body while the server runs: a body that is not UTF-8 is found at once.
const liveOnlyShapes: typeof badShapes = [
  ['a Windows-1252 body', Buffer.concat([Buffer.from(article({}, '')), Buffer.from('L\x92article.\n', 'latin1')]), 'bad.md:6: encoding: not valid UTF-8 at line 6, column 2 (byte 0x92): save the file as UTF-8'],
]

describe('a bad file saved while the server runs, with a valid one in the same batch', () => {
  let site: TestSite | undefined
  let server: Server | undefined
  afterEach(async () => {
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)))
    await site?.dispose()
    server = undefined
    site = undefined
  })

  it.each([...badShapes, ...liveOnlyShapes])('saving %s and a valid article publishes the valid one and lists the other in /status', async (_name, content, problem) => {
    site = await createTestSite({ 'first.md': article({ title: '"First"' }) }, { watch: true })
    server = site.app.listen(0, '127.0.0.1')
    await new Promise((resolve) => server!.once('listening', resolve))
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

    await Promise.all([site.write('bad.md', content), site.write('added.md', article({ title: '"Added"' }))])

    await waitFor(async () => ((await fetch(`${origin}/articles/added`)).status === 200 ? true : undefined), { what: 'the valid article' })
    const problems = await waitFor(async () => {
      const status = (await (await fetch(`${origin}/status`)).json()) as { problems: Problem[] }
      const errors = withoutWarnings(status.problems)
      return errors.length > 0 ? errors.map(formatProblem) : undefined
    }, { what: 'the problem in /status' })
    expect(problems).toEqual([`${problem} (held back)`])
    expect((await fetch(`${origin}/articles/first`)).status).toBe(200)
    expect((await fetch(`${origin}/healthz`)).status).toBe(200)
  })
})
