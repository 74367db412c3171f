import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadConfig } from '../../src/config.js'
import { createLogger } from '../../src/logger.js'
import { openSite } from '../../src/open-site.js'
import { testNow } from '../helpers/test-site.js'

const repoRoot = fileURLToPath(new URL('../../', import.meta.url))

/** The real app serving a copy of the repository's bundled content on 127.0.0.1. */
export interface RunningSite {
  /** Origin the site was built with and listens on, e.g. `http://127.0.0.1:40123`. */
  baseUrl: string
  /** Stop listening, close the site and remove its folder. */
  close(): Promise<void>
}

/**
 * Serve the bundled `content/` (plus `options.extraFiles`, by path in it) and
 * `creditline.config.json`, copied to a temporary folder, through `loadConfig` and `openSite` like the server does, at a clock pinned
 * to `testNow` so the bundled articles are published whatever the machine's date.
 *
 * `onResponse` sees each request once its response is sent (to count what clients ask).
 *
 * `BASE_URL` must be known before the site is built, so the HTTP server listens on
 * port 0 first and the app becomes its request handler once built: the same thing
 * `app.listen` does, without the window in which a port probed and freed could be taken.
 */
export async function startBundledSite(options: { onResponse?: (req: IncomingMessage, res: ServerResponse) => void; extraFiles?: Record<string, string> } = {}): Promise<RunningSite> {
  const dir = await mkdtemp(path.join(tmpdir(), 'creditline-browser-'))
  let server: Server | undefined
  try {
    await cp(path.join(repoRoot, 'content'), path.join(dir, 'content'), { recursive: true })
    for (const [file, text] of Object.entries(options.extraFiles ?? {})) {
      await mkdir(path.dirname(path.join(dir, 'content', file)), { recursive: true })
      await writeFile(path.join(dir, 'content', file), text)
    }
    await cp(path.join(repoRoot, 'creditline.config.json'), path.join(dir, 'creditline.config.json'))
    const listening = createServer()
    server = listening
    await new Promise<void>((resolve, reject) => {
      listening.once('error', reject)
      listening.listen(0, '127.0.0.1', () => resolve())
    })
    const { port } = listening.address() as AddressInfo
    const baseUrl = `http://127.0.0.1:${port}`
    const config = loadConfig({ NODE_ENV: 'test', BASE_URL: baseUrl, CACHE_DIR: '', WATCH: '0' }, dir)
    const site = await openSite(config, createLogger('silent'), { now: () => testNow })
    const { onResponse } = options
    if (onResponse) listening.on('request', (req: IncomingMessage, res: ServerResponse) => res.on('finish', () => onResponse(req, res)))
    listening.on('request', site.app)
    return {
      baseUrl,
      async close() {
        await closeServer(listening)
        await site.close()
        await rm(dir, { recursive: true, force: true })
      },
    }
  } catch (error) {
    if (server) await closeServer(server)
    await rm(dir, { recursive: true, force: true })
    throw error
  }
}

/** Close a server, dropping kept-alive connections so it does not wait for the browser's. */
async function closeServer(server: Server): Promise<void> {
  if (!server.listening) return
  await new Promise<void>((resolve) => {
    server.close(() => resolve())
    server.closeAllConnections()
  })
}
