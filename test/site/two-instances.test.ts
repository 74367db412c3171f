import { cp, mkdtemp, readdir, rm, utimes } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Response } from 'superagent'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig, type Config } from '../../src/config.js'
import { createLogger } from '../../src/logger.js'
import { openSite, type Site } from '../../src/open-site.js'
import { listDocumentPaths } from '../../src/site/site-documents.js'
import { article, createTestSite } from '../helpers/test-site.js'

const repoDir = fileURLToPath(new URL('../../', import.meta.url))

/** Give every file under `dir` this modification time, as a copy made at another moment has. */
async function touchAll(dir: string, time: Date): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) await utimes(path.join(entry.parentPath, entry.name), time, time)
  }
}

/** An instance of the service on its own copy of the bundled content, with these file times. */
async function startInstance(root: string, name: string, filesModified: Date): Promise<Site & { config: Config }> {
  const contentDir = path.join(root, name)
  await cp(path.join(repoDir, 'content'), contentDir, { recursive: true })
  await touchAll(contentDir, filesModified)
  const config = loadConfig({ NODE_ENV: 'test', BASE_URL: 'https://news.example', CACHE_DIR: '', WATCH: '0', CONTENT_DIR: contentDir }, repoDir)
  return { ...(await openSite(config, createLogger('silent'))), config }
}

describe('two instances on two copies of the content', () => {
  let root: string
  let one: Site & { config: Config }
  let two: Site & { config: Config }
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'creditline-instances-'))
    one = await startInstance(root, 'one', new Date('2026-11-27T08:00:00Z'))
    // Copied a week later: every file is newer.
    two = await startInstance(root, 'two', new Date('2026-12-03T17:45:00Z'))
  })
  afterAll(async () => {
    await Promise.all([one?.close(), two?.close()])
    await rm(root, { recursive: true, force: true })
  })

  it('answer every URL the export lists, and every picture, with the same bytes and ETags', async () => {
    const paths = listDocumentPaths({ config: one.config, catalog: one.store.catalog, renderer: one.renderer })
    const media = [...one.store.catalog.media.keys()].map((file) => `/media/${file}`)
    expect(paths.length).toBeGreaterThan(40)
    expect(media.length).toBe(5)
    for (const urlPath of [...paths, ...media]) {
      for (const encoding of ['identity', 'gzip', 'br']) {
        const [a, b] = await Promise.all([one, two].map((site) => request(site.app).get(urlPath).set('Accept-Encoding', encoding).buffer(true).parse(collectBytes)))
        expect(a!.status, urlPath).toBe(200)
        expect(b!.status, urlPath).toBe(200)
        expect(Buffer.compare(a!.body as Buffer, b!.body as Buffer), `${urlPath} (${encoding})`).toBe(0)
        expect(a!.headers.etag, `${urlPath} (${encoding})`).toBe(b!.headers.etag)
      }
    }
  })
})

describe('If-Modified-Since from another instance', () => {
  it('never brings a 304 for bytes the client does not have', async () => {
    // Mid-deploy: the old version on an instance whose copy is newer, the edited one on an
    // instance whose copy kept an older time (rsync -a keeps the author's).
    const old = await createTestSite({ 'a.md': article({ title: '"Avant"' }) }, { filesModified: new Date('2026-11-25T12:00:00Z') })
    const edited = await createTestSite({ 'a.md': article({ title: '"Après"' }) }, { filesModified: new Date('2026-11-24T12:00:00Z') })
    try {
      for (const urlPath of ['/feed.xml', '/atom.xml', '/feed.json', '/articles/a', '/']) {
        const first = await request(old.app).get(urlPath)
        const elsewhere = await request(edited.app).get(urlPath).set('If-Modified-Since', String(first.headers['last-modified']))
        expect(elsewhere.status, urlPath).toBe(200)
        expect(elsewhere.headers.etag, urlPath).not.toBe(first.headers.etag)
        // Its own date still gets the 304.
        const again = await request(edited.app).get(urlPath).set('If-Modified-Since', String(elsewhere.headers['last-modified']))
        expect(again.status, urlPath).toBe(304)
      }
    } finally {
      await Promise.all([old.dispose(), edited.dispose()])
    }
  })
})

/** A supertest parser that keeps the body as bytes, whatever its type. */
function collectBytes(response: Response, callback: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = []
  response.on('data', (chunk: Buffer) => chunks.push(chunk))
  response.on('end', () => callback(null, Buffer.concat(chunks)))
}
