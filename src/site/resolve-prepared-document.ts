import { BodyNotRenderedError } from '../markdown/render-article.js'
import { resolveDocument, type SiteContext, type SiteDocument } from './site-documents.js'

// A body rendered for a document and gone before the document was made again (the cache
// dropped it after an edit) is rendered again, but not forever.
const maxPreparesPerBody = 3

/**
 * `resolveDocument` for a caller that may wait: each large body the document needs is
 * rendered in the renderer's worker thread first (see `ArticleRenderer.prepare`), so the
 * calling thread never renders one. The server's requests and announcements use it.
 *
 * @param contextOf the context to resolve in, asked again after each wait (the catalog may
 *   have changed meanwhile): the document is made from one catalog throughout
 */
export async function resolvePreparedDocument(contextOf: () => SiteContext, pathname: string, page: number | undefined): Promise<SiteDocument | undefined> {
  const prepared = new Map<string, number>()
  for (;;) {
    const context = contextOf()
    try {
      return resolveDocument(context, pathname, page)
    } catch (error) {
      if (!(error instanceof BodyNotRenderedError)) throw error
      const key = context.renderer.cacheKey(error.article)
      const times = (prepared.get(key) ?? 0) + 1
      if (times > maxPreparesPerBody) throw new Error(`the body of ${error.article.file} was rendered ${maxPreparesPerBody} times for ${pathname} and lost each time`)
      prepared.set(key, times)
      await context.renderer.prepare([error.article])
    }
  }
}
