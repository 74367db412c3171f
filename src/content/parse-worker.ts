import type { ContentEntry } from './build-catalog.js'
import { loadArticle } from './load-content.js'
import type { ArticleDefaults } from './parse-article.js'

/** One batch of files for a parse worker. */
export interface ParseTask {
  contentDir: string
  files: string[]
  defaults: ArticleDefaults
}

/** Piscina worker: read and validate the front matter of a batch of article files. */
export default function parseFiles({ contentDir, files, defaults }: ParseTask): ContentEntry[] {
  return files.map((file) => loadArticle(contentDir, file, defaults))
}
