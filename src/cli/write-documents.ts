import { copyFile, mkdir, utimes, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Config } from '../config.js'
import { resolveDocument, type SiteContext } from '../site/site-documents.js'
import { cacheControlOf, headersOf, toStaticFile, type StaticEntry } from './static-files.js'

// Files are written while later documents are generated; this many writes may be in flight.
const maxPendingWrites = 64

/** Writes files under one folder, a bounded number at a time. */
export interface StaticWriter {
  /** Queue a file; waits only when too many writes are in flight. `mtime` becomes the file's time. */
  write(file: string, body: Buffer, mtime: Date | undefined): Promise<void>
  /** Queue a copy of `source`. */
  copy(source: string, file: string, mtime: Date): Promise<void>
  /** Wait for every queued write; throws the first failure. */
  flush(): Promise<void>
}

/**
 * Write every document of `urlPaths` (as listed by `listDocumentPaths`) under the
 * writer's folder, through `resolveDocument` as the server answers them, and return
 * where each went with its headers, in order.
 */
export async function writeDocuments(context: SiteContext, config: Pick<Config, 'http'>, urlPaths: ReadonlyArray<string>, writer: StaticWriter, onWritten: () => void = () => {}): Promise<StaticEntry[]> {
  const entries: StaticEntry[] = []
  for (const urlPath of urlPaths) {
    const [pathname, page] = splitPage(urlPath)
    const document = resolveDocument(context, pathname, page)
    if (!document) throw new Error(`listDocumentPaths lists ${urlPath}, which resolveDocument does not answer`)
    const { file, headersPath } = toStaticFile(urlPath, document.mediaType)
    entries.push({ urlPath, file, headersPath, headers: headersOf(document, cacheControlOf(config, document.cache)) })
    await writer.write(file, document.body, document.lastModified)
    onWritten()
  }
  return entries
}

/** `/feed.json?page=2` → [`/feed.json`, 2]; listDocumentPaths writes no other query. */
function splitPage(urlPath: string): [string, number | undefined] {
  const queryAt = urlPath.indexOf('?')
  if (queryAt === -1) return [urlPath, undefined]
  const page = new URLSearchParams(urlPath.slice(queryAt + 1)).get('page')
  return [urlPath.slice(0, queryAt), page === null ? undefined : Number(page)]
}

/** A writer for files under `root`; each folder is created once. */
export function createWriter(root: string): StaticWriter {
  // One mkdir per folder, shared by every file written into it meanwhile.
  const folders = new Map<string, Promise<unknown>>()
  let active = 0
  let failure: unknown
  // Resolvers of callers waiting for a free slot, and of `flush` waiting for none to be busy.
  const waiting: Array<() => void> = []
  let drained: (() => void) | undefined
  const ensureFolder = async (file: string) => {
    const folder = path.dirname(path.join(root, file))
    let made = folders.get(folder)
    if (!made) {
      made = mkdir(folder, { recursive: true })
      folders.set(folder, made)
    }
    await made
  }
  const enqueue = async (job: () => Promise<void>) => {
    if (active >= maxPendingWrites) await new Promise<void>((resolve) => waiting.push(resolve))
    if (failure) throw failure
    active++
    job()
      .catch((error: unknown) => {
        failure ??= error
      })
      .finally(() => {
        active--
        waiting.shift()?.()
        if (active === 0) drained?.()
      })
  }
  // The file's time is the document's Last-Modified, for hosts that derive the header from it.
  const touch = async (target: string, mtime: Date | undefined) => {
    if (mtime) await utimes(target, mtime, mtime)
  }
  return {
    write: (file, body, mtime) =>
      enqueue(async () => {
        await ensureFolder(file)
        const target = path.join(root, file)
        await writeFile(target, body)
        await touch(target, mtime)
      }),
    copy: (source, file, mtime) =>
      enqueue(async () => {
        await ensureFolder(file)
        const target = path.join(root, file)
        await copyFile(source, target)
        await touch(target, mtime)
      }),
    async flush() {
      if (active > 0) await new Promise<void>((resolve) => (drained = resolve))
      if (failure) throw failure
    },
  }
}
