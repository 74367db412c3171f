import { describe, expect, it } from 'vitest'
import * as atom from '../../src/feeds/atom.js'
import * as feedHistory from '../../src/feeds/feed-history.js'
import * as feedModel from '../../src/feeds/feed-model.js'
import * as jsonFeed from '../../src/feeds/json-feed.js'
import * as mediaElements from '../../src/feeds/media-elements.js'
import * as rss from '../../src/feeds/rss.js'
import * as conditional from '../../src/http/conditional.js'

describe('src/feeds public API', () => {
  it.each([
    ['atom', atom, ['writeAtom']],
    ['rss', rss, ['writeRss']],
    ['json-feed', jsonFeed, ['writeJsonFeed']],
    ['feed-history', feedHistory, ['addFeedHistory', 'escapeXmlAttribute']],
    ['feed-model', feedModel, ['feedPath', 'siteScope', 'topicScope', 'paginate', 'selectArticles', 'buildFeedDocument']],
    ['media-elements', mediaElements, ['toMediaContents']],
    // Conditional GET is how feed readers poll; its evaluation is tested with the feeds.
    ['http/conditional', conditional, ['evaluatePreconditions', 'parseEntityTags']],
  ] as const)('%s exports the functions %j', (_module, exports, names) => {
    for (const name of names) expect(typeof (exports as Record<string, unknown>)[name], name).toBe('function')
  })

  it('names the three formats, their files and media types', () => {
    expect(feedModel.feedFileNames).toEqual({ rss: 'feed.xml', atom: 'atom.xml', json: 'feed.json' })
    expect(feedModel.feedMediaTypes).toEqual({
      rss: 'application/rss+xml; charset=utf-8',
      atom: 'application/atom+xml; charset=utf-8',
      json: 'application/feed+json; charset=utf-8',
    })
  })

  it('exports the RFC 5005 namespace and the _creditline documentation path', () => {
    expect(feedHistory.feedHistoryNamespace).toBe('http://purl.org/syndication/history/1.0')
    expect(jsonFeed.extensionAboutPath).toBe('/about#json-feed-extension-_creditline')
  })
})
