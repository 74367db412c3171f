import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listChangedKeys } from '../../src/http/surrogate-keys.js'
import { article, createTestSite, type TestSite, siteAddresses } from '../helpers/test-site.js'
import { waitFor } from '../helpers/wait-for.js'

const files = {
  'a.md': article({ title: '"A"', date: '2026-11-21T10:00:00+01:00', tags: '[Alpha, Été]', author: 'Zoë' }),
  'b.md': article({ title: '"B"', date: '2026-11-20T10:00:00+01:00', tags: '[Beta]' }),
  'c.md': article({ title: '"C"', date: '2026-11-19T10:00:00+01:00', tags: '[Beta]' }),
  'images/p.svg': '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>',
}

describe.each(siteAddresses)('the site $where', ({ basePath }) => {
  describe('surrogate keys of each response', () => {
    let site: TestSite
    beforeAll(async () => {
      site = await createTestSite(files, { basePath, configFile: { feed: { size: 2 } } })
    })
    afterAll(() => site.dispose())

    it.each([
      ['/feed.xml', ['kind:feed', 'site', 'article:a', 'article:b']],
      ['/feed.json?page=2', ['kind:feed', 'site', 'article:c']],
      ['/archive/1/atom.xml', ['kind:archive', 'site', 'article:c']],
      ['/tags/beta/atom.xml', ['kind:feed', 'tag:beta', 'article:b', 'article:c']],
      ['/tags/ete/feed.json', ['kind:feed', 'tag:ete', 'article:a']],
      ['/authors/zoe/feed.xml', ['kind:feed', 'author:zoe', 'article:a']],
      ['/', ['kind:page', 'site', 'article:a', 'article:b']],
      ['/tags/beta', ['kind:page', 'tag:beta', 'article:b', 'article:c']],
      ['/articles/b', ['kind:page', 'article:b']],
      ['/about', ['kind:page']],
      ['/feed.css', ['kind:asset']],
      ['/media/images/p.svg', ['kind:media', 'media:images%2Fp%2Esvg']],
    ])('GET %s names %j', async (path, keys) => {
      const response = await request(site.app).get(`${basePath}${path}`)
      expect(response.status).toBe(200)
      expect(String(response.headers.xkey).split(' ')).toEqual(keys)
      expect(String(response.headers['surrogate-key']).split(' ')).toEqual(keys)
      expect(String(response.headers['cache-tag']).split(',')).toEqual(keys)
    })

    it('a 304 leaves the keys out (the cache keeps those it stored)', async () => {
      const { headers } = await request(site.app).get(`${basePath}/feed.xml`)
      const response = await request(site.app).get(`${basePath}/feed.xml`).set('If-None-Match', String(headers.etag))
      expect(response.status).toBe(304)
      expect(response.headers.xkey).toBeUndefined()
    })
  })

  describe('listChangedKeys', () => {
    it.each([
      ['an edited body', 'a.md', article({ title: '"A"', date: '2026-11-21T10:00:00+01:00', tags: '[Alpha, Été]', author: 'Zoë' }, 'Autre texte.\n'), ['article:a', 'overflow']],
      ['a new title', 'b.md', article({ title: '"B2"', date: '2026-11-20T10:00:00+01:00', tags: '[Beta]' }), ['article:b', 'overflow']],
      ['a new date', 'c.md', article({ title: '"C"', date: '2026-11-22T10:00:00+01:00', tags: '[Beta]' }), ['article:c', 'site', 'tag:beta', 'author:la-redaction', 'overflow']],
      ['another tag', 'b.md', article({ title: '"B"', date: '2026-11-20T10:00:00+01:00', tags: '[Gamma]' }), ['article:b', 'site', 'tag:beta', 'author:la-redaction', 'tag:gamma', 'overflow']],
      ['a new article', 'd.md', article({ title: '"D"', date: '2026-11-18T10:00:00+01:00' }), ['article:d', 'site', 'author:la-redaction', 'overflow']],
      ['a new picture', 'images/q.svg', '<svg xmlns="http://www.w3.org/2000/svg" width="2" height="2"/>', ['media:images%2Fq%2Esvg', 'overflow']],
    ])('listChangedKeys after %s', async (_case, file, text, keys) => {
      const site = await createTestSite(files, { basePath, watch: true })
      try {
        const previous = site.store.catalog
        await site.write(file, text)
        const next = await waitFor(() => (site.store.catalog !== previous ? site.store.catalog : undefined), { what: `${file} published` })
        expect(listChangedKeys(previous, next)).toEqual(keys)
      } finally {
        await site.dispose()
      }
    })

    it('listChangedKeys of the same catalog is empty', async () => {
      const site = await createTestSite(files, { basePath })
      try {
        expect(listChangedKeys(site.store.catalog, site.store.catalog)).toEqual([])
      } finally {
        await site.dispose()
      }
    })
  })
})
