import { closeSync, fstatSync, readFileSync } from 'node:fs'
import { contentFolderOf, openContentFile } from './content-jail.js'
import { decodeArticleText } from './decode-article-text.js'
import type { Article } from './parse-article.js'

/**
 * The Markdown body of an article: kept when it was parsed with it, otherwise read from
 * its file. Bodies stay on disk until a render needs them: ten thousand articles hold
 * 80 MB of text (twice that as JavaScript strings) that a warm render cache never reads.
 *
 * @throws when the file cannot be read (a symbolic link is refused, see `openContentFile`), or changed since the article was read (another
 *   size or modification time): its body may not go with this front matter, and the
 *   watcher brings the new version
 * @throws {ArticleTextError} when the file is not UTF-8 text, with the line of the first bad byte
 */
export function readArticleBody(article: Article): string {
  if (article.body !== undefined) return article.body
  if (article.sourcePath === undefined) return ''
  const fd = openContentFile(contentFolderOf(article.sourcePath, article.file), article.file)
  try {
    const { size, mtime } = fstatSync(fd)
    if (size !== article.fileSize || mtime.getTime() !== article.fileModified?.getTime()) throw new Error('the file changed since its front matter was read')
    return splitHead(decodeArticleText(readFileSync(fd))).rest
  } finally {
    closeSync(fd)
  }
}

/**
 * The front-matter block (through the line of its closing `---`) and the rest of the file.
 * gray-matter gets only the block: it copies its whole input into a Buffer and looks it up
 * as an object key, which on long articles costs more than parsing the YAML.
 * `closed` says whether the text opens a front matter with `---` and closes it.
 */
export function splitHead(text: string): { head: string; rest: string; closed: boolean } {
  if (!text.startsWith('---')) return { head: text, rest: '', closed: false }
  const close = text.indexOf('\n---', 3)
  if (close === -1) return { head: text, rest: '', closed: false }
  const lineEnd = text.indexOf('\n', close + 4)
  if (lineEnd === -1) return { head: text, rest: '', closed: true }
  return { head: text.slice(0, lineEnd + 1), rest: text.slice(lineEnd + 1), closed: true }
}
