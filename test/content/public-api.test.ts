import { describe, expect, it } from 'vitest'
import * as buildCatalog from '../../src/content/build-catalog.js'
import * as catalog from '../../src/content/catalog.js'
import * as contentStore from '../../src/content/content-store.js'
import * as formatProblem from '../../src/content/format-problem.js'
import * as frontMatterLines from '../../src/content/front-matter-lines.js'
import * as frontMatterSchema from '../../src/content/front-matter-schema.js'
import * as loadContent from '../../src/content/load-content.js'
import * as parseArticle from '../../src/content/parse-article.js'
import * as slugifyName from '../../src/content/slugify-name.js'
import * as xmlChars from '../../src/content/xml-chars.js'
import * as zodIssues from '../../src/zod-issues.js'

// The content modules' exports other modules (and the CLI) build on: a rename or a lost
// export fails here, by name, before it fails somewhere downstream.
describe('src/content public API', () => {
  it.each([
    ['build-catalog', buildCatalog, ['buildCatalog']],
    ['catalog', catalog, ['compareNewestFirst']],
    ['content-store', contentStore, ['ContentStore']],
    ['format-problem', formatProblem, ['formatProblem']],
    ['front-matter-lines', frontMatterLines, ['findFrontMatterLine']],
    ['load-content', loadContent, ['listContentFiles', 'loadArticle', 'loadMediaFile', 'loadContent']],
    ['parse-article', parseArticle, ['parseArticle']],
    ['slugify-name', slugifyName, ['slugifyName', 'topicPath', 'articlePath']],
    ['xml-chars', xmlChars, ['stripInvalidXmlChars']],
    ['zod-issues (shared with config)', zodIssues, ['formatIssuePath', 'describeIssue', 'formatZodIssues']],
  ] as const)('%s exports the functions %j', (_module, exports, names) => {
    for (const name of names) expect(typeof (exports as Record<string, unknown>)[name], name).toBe('function')
  })

  it('front-matter-schema exports its zod schemas and the EBU credit roles', () => {
    for (const schema of [frontMatterSchema.frontMatterSchema, frontMatterSchema.imageSchema, frontMatterSchema.sourceSchema]) expect(typeof schema.safeParse).toBe('function')
    expect(frontMatterSchema.creditRoles).toContain('photographer')
  })

  it('ContentStore opens through its static factory', () => {
    expect(typeof contentStore.ContentStore.open).toBe('function')
  })
})
