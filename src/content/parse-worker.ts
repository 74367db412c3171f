import type { ContentEntry } from './build-catalog.js'
import { loadArticle, prepareParser } from './load-content.js'
import type { ArticleDefaults } from './parse-article.js'

/** One batch of files for a parse worker. */
export interface ParseTask {
  contentDir: string
  files: string[]
  defaults: ArticleDefaults
}

/** Piscina worker: read and validate the front matter of a batch of article files. */
export default async function parseFiles({ contentDir, files, defaults }: ParseTask): Promise<ContentEntry[]> {
  await prepareParser()
  return files.map((file) => loadArticle(contentDir, file, defaults))
}
