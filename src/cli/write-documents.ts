import { mkdirSync, utimesSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Config } from '../config.js'
import { resolveListedDocument, type SiteContext } from '../site/site-documents.js'
import { cacheControlOf } from '../http/cache-policy.js'
import { headersOf, toStaticFile, type StaticEntry } from './static-files.js'
import { notAfter } from '../dates.js'

/** Writes files under one folder. */
export interface StaticWriter {
  /** Write a file; `mtime` becomes its modification time. */
  write(file: string, body: Buffer, mtime: Date | undefined): void
}

/**
 * Write every document of `urlPaths` (as listed by `listDocumentPaths`) under the
 * writer's folder, through `resolveDocument` as the server answers them, and return
 * where each went with its headers, in order.
 */
export function writeDocuments(context: SiteContext, config: Pick<Config, 'http'>, urlPaths: ReadonlyArray<string>, writer: StaticWriter, onWritten: () => void = () => {}): StaticEntry[] {
  const entries: StaticEntry[] = []
  for (const urlPath of urlPaths) {
    // An article whose text cannot be published is left out, as the server leaves it out
    // of its feeds and lists; the export reports its problem.
    const document = resolveListedDocument(context, urlPath)
    if (!document) continue
    const { file, headersPath } = toStaticFile(urlPath, document.mediaType)
    entries.push({ urlPath, file, headersPath, headers: headersOf(document, cacheControlOf(config, document.cache)) })
    // A static host derives Last-Modified from the file's time: not in the future either.
    writer.write(file, document.body, document.lastModified && notAfter(document.lastModified))
    onWritten()
  }
  return entries
}

/**
 * A writer for files under `root`, each folder created once. Writes are synchronous on
 * purpose: they run in worker threads (or in a CLI with nothing else to do), where
 * waiting for the disk costs less than the promise machinery of thousands of small
 * asynchronous writes, and a failure stops the build at the file that failed.
 */
export function createWriter(root: string): StaticWriter {
  const folders = new Set<string>()
  const prepare = (file: string, mtime: Date | undefined, put: (target: string) => void) => {
    const target = path.join(root, file)
    const folder = path.dirname(target)
    if (!folders.has(folder)) {
      mkdirSync(folder, { recursive: true })
      folders.add(folder)
    }
    put(target)
    // The file's time is the document's Last-Modified, for hosts that derive the header from it.
    if (mtime) utimesSync(target, mtime, mtime)
  }
  return {
    write: (file, body, mtime) => prepare(file, mtime, (target) => writeFileSync(target, body)),
  }
}
