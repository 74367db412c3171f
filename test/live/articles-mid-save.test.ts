import { rename, truncate } from 'node:fs/promises'
import path from 'node:path'
import request from 'supertest'
import { afterEach, describe, expect, it } from 'vitest'
import { elements, parseHtml, visibleText } from '../fixtures/parse-html.js'
import { article, createTestSite, type TestSite } from '../helpers/test-site.js'
import { waitFor } from '../helpers/wait-for.js'

const body = 'Le texte entier de cet article, que la page doit toujours porter.\n'

/** The visible text of an article page's body: the article minus its header. */
function articleText(html: string): string {
  const [page] = elements(parseHtml(html), 'article')
  return visibleText(page).slice(visibleText(elements(page!, 'header')[0]).length).trim()
}

describe('an article whose file is being saved or has gone', () => {
  let site: TestSite | undefined
  afterEach(async () => {
    await site?.dispose()
    site = undefined
  })

  it('keeps the last good page online while its file is empty, with the same ETag, and reports it', async () => {
    site = await createTestSite({ 'a.md': article({ title: '"A"' }, body) }, { watch: true })
    const before = await request(site.app).get('/articles/a')
    expect(articleText(before.text)).toBe(body.trim())
    // An editor that truncates first, then crashed: the file stays empty.
    await truncate(path.join(site.contentDir, 'a.md'), 0)
    const answers: Array<{ status: number; text: string; etag: string | undefined }> = []
    await waitFor(async () => {
      const page = await request(site!.app).get('/articles/a')
      answers.push({ status: page.status, text: articleText(page.text), etag: page.headers.etag })
      const status = await request(site!.app).get('/status')
      return (status.body as { problems: Array<{ file: string }> }).problems.some((problem) => problem.file === 'a.md') ? true : undefined
    }, { what: 'the empty file in /status' })
    expect(new Set(answers.map((answer) => JSON.stringify(answer)))).toEqual(new Set([JSON.stringify({ status: 200, text: body.trim(), etag: before.headers.etag })]))
  })

  it('answers 503 for a page never rendered while its folder is away, keeps it out of the feeds, and serves it when the folder is back', async () => {
    site = await createTestSite({ 'a.md': article({ title: '"A"' }, body), 'b.md': article({ title: '"B"', date: '2026-11-19T10:00:00+01:00' }) })
    // Before the background pass renders anything: no article has a render to fall back on.
    site.audit.close()
    const away = `${site.contentDir}.away`
    await rename(site.contentDir, away)
    const page = await request(site.app).get('/articles/a')
    expect(page.status).toBe(503)
    expect(page.headers['cache-control']).toBe('no-store')
    const feed = await request(site.app).get('/feed.json')
    expect(feed.status).toBe(200)
    expect((JSON.parse(feed.text) as { items: unknown[] }).items).toEqual([])
    expect(feed.headers['cache-control']).toBe('no-store')
    await rename(away, site.contentDir)
    const back = await request(site.app).get('/articles/a')
    expect(back.status).toBe(200)
    expect(articleText(back.text)).toBe(body.trim())
  })

  it('answers 404 for a picture whose file has gone', async () => {
    site = await createTestSite({ 'a.md': article(), 'images/p.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>\n' })
    await rename(path.join(site.contentDir, 'images'), path.join(site.contentDir, 'gone'))
    expect((await request(site.app).get('/media/images/p.svg')).status).toBe(404)
  })
})
