import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { article, createTestSite, type TestSite } from '../helpers/test-site.js'
import { child, children, ns, parseXml, text } from '../helpers/parse-xml.js'

describe('createTestSite', () => {
  let site: TestSite
  beforeAll(async () => {
    site = await createTestSite({ 'a.md': article({ title: '"A & B"' }) })
  })
  afterAll(() => site.dispose())

  it('serves /feed.xml as parseable RSS with the article', async () => {
    const response = await request(site.app).get('/feed.xml')
    expect(response.status).toBe(200)
    const document = parseXml(response.text)
    const channel = child(document.documentElement!, null, 'channel')
    const items = children(channel, null, 'item')
    expect(items.map((item) => text(child(item, null, 'title')))).toEqual(['A & B'])
    expect(children(channel, ns.fh, 'complete')).toHaveLength(1)
  })
})
