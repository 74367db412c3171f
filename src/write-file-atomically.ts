import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { threadId } from 'node:worker_threads'

/**
 * Write a cache file so that no reader ever sees half of it: into a temporary file named
 * for this process and thread (export threads share the process id, and may write the
 * same file at once), then renamed over the target, which is atomic. The folder is made
 * if needed. Returns whether the file was written; callers treat a failure as a miss.
 *
 * By hand, not write-file-atomic: that package stats the target on every write to carry
 * its owner and mode over, and syncs to disk by default. A cache a crash may lose needs
 * neither, and an export writes twenty thousand of them.
 */
export function writeFileAtomicallySync(file: string, data: string | Uint8Array): boolean {
  const temporary = `${file}.${process.pid}-${threadId}.tmp`
  try {
    mkdirSync(path.dirname(file), { recursive: true })
    writeFileSync(temporary, data)
    renameSync(temporary, file)
    return true
  } catch {
    try {
      rmSync(temporary, { force: true })
    } catch {
      // Left behind; it is never read.
    }
    return false
  }
}
