import { closeSync, fstatSync, readFileSync } from 'node:fs'
import { contentFolderOf, openContentFile } from './content-jail.js'
import { decodeArticleText } from './decode-article-text.js'
import { splitHead } from './split-head.js'
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
