import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'

/**
 * The folder an export of `outDir` is written into before it replaces `outDir`: beside it
 * (a rename across file systems is not atomic), named for the export's process, so that
 * what a killed export left is found by its name (see `removeLeftoverFolders`).
 */
export function stagingFolderOf(outDir: string, pid = process.pid): string {
  return path.join(path.dirname(outDir), `.${path.basename(outDir)}.creditline-${pid}`)
}

/**
 * A private render cache for one run, in the system's temporary folder, named for its
 * process; a killed run's is removed by the next one.
 */
export async function makeTemporaryCache(): Promise<string> {
  await removeLeftoverFolders(tmpdir(), /^creditline-render-([0-9]+)-/)
  return mkdtemp(path.join(tmpdir(), `creditline-render-${process.pid}-`))
}

/**
 * Remove what killed exports of `outDir` left beside it: staging folders, and previous
 * builds moved aside, of processes no longer running (a concurrent export keeps its own).
 *
 * @returns the folders removed
 */
export function removeLeftoverStaging(outDir: string): Promise<string[]> {
  const name = path.basename(outDir).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return removeLeftoverFolders(path.dirname(outDir), new RegExp(`^\\.${name}\\.creditline-([0-9]+)(\\.old)?$`))
}

/** Remove the entries of `dir` whose name matches `pattern` (its first group a process id) and whose process is gone. */
async function removeLeftoverFolders(dir: string, pattern: RegExp): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[])
  const removed: string[] = []
  for (const name of names) {
    const pid = pattern.exec(name)?.[1]
    if (pid === undefined || isRunning(Number(pid))) continue
    const folder = path.join(dir, name)
    await rm(folder, { recursive: true, force: true })
    removed.push(folder)
  }
  return removed
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
