import matter from 'gray-matter'
import { readContentFile } from './content-jail.js'
import { findFrontMatterLine } from './front-matter-lines.js'

/** The line of a front-matter key in a file of the content folder, when known (see `readFrontMatterLine`). */
export type LineOf = (file: string, keys: ReadonlyArray<PropertyKey>) => number | undefined

/**
 * 1-based line, in a file of the content folder, of a front-matter key (`['image', 'src']`,
 * `['aliases', 0]`), or of its nearest ancestor that is written. The file is read again, so
 * call it only when a problem needs the line; `undefined` when the file is gone.
 */
export function readFrontMatterLine(contentDir: string, file: string, keys: ReadonlyArray<PropertyKey>): number | undefined {
  let text = ''
  try {
    text = readContentFile(contentDir, file).toString('utf8')
  } catch {
    // Gone or swapped for a link since it was parsed: no line to give.
  }
  // The YAML is not parsed here (parseArticle did that). gray-matter's `matter` starts
  // right after the opening `---`, so its line numbers are the file's.
  return findFrontMatterLine(matter(text, { engines: { yaml: () => ({}) } }).matter, keys)
}
