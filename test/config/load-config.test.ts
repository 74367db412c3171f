import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import express from 'express'
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../src/config.js'
import { testSiteSettings } from '../helpers/test-site.js'

describe('loadConfig', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'creditline-config-'))
    await writeFile(path.join(dir, 'creditline.config.json'), JSON.stringify({ site: testSiteSettings }))
  })
  afterEach(() => rm(dir, { recursive: true, force: true }))

  it('loadConfig({}) fills defaults from the file and the port', () => {
    const config = loadConfig({}, dir)
    expect(config).toMatchObject({
      port: 3000,
      baseUrl: 'http://localhost:3000',
      contentDir: path.join(dir, 'content'),
      site: testSiteSettings,
      feed: { size: 20 },
      http: { maxAge: 300, staleWhileRevalidate: 86_400, memoryCacheMB: 128, rateLimit: { enabled: false } },
    })
  })

  it.each([
    [{ PORT: '8080' }, { port: 8080, baseUrl: 'http://localhost:8080' }],
    [{ BASE_URL: 'https://news.example/' }, { baseUrl: 'https://news.example', basePath: '' }],
    [{ BASE_URL: 'https://example.com/news/' }, { baseUrl: 'https://example.com/news', basePath: '/news' }],
    [{ BASE_URL: 'https://example.com/actualités' }, { baseUrl: 'https://example.com/actualit%C3%A9s', basePath: '/actualit%C3%A9s' }],
    [{ SITE_TITLE: 'Autre titre', SITE_LANGUAGE: 'en', SITE_AUTHOR: 'Jane' }, { site: { ...testSiteSettings, title: 'Autre titre', language: 'en', author: { name: 'Jane' } } }],
    [{ FEED_SIZE: '5', CACHE_MAX_AGE: '60' }, { feed: { size: 5 }, http: { maxAge: 60 } }],
    [{ RATE_LIMIT_MAX: '10' }, { http: { rateLimit: { enabled: true, max: 10, windowSeconds: 60 } } }],
    [{ CACHE_DIR: '' }, { cacheDir: undefined }],
    [{ MEMORY_CACHE_MB: '32' }, { http: { memoryCacheMB: 32 } }],
    [{ FEED_MAX_BYTES: '1000000' }, { feed: { size: 20, maxBytes: 1_000_000 } }],
    [{ TRUST_PROXY: '2' }, { trustProxy: 2 }],
    [{ TRUST_PROXY: 'false' }, { trustProxy: false }],
    [{ TRUST_PROXY: 'loopback, 10.0.0.0/8' }, { trustProxy: 'loopback, 10.0.0.0/8' }],
    [{ TRUST_PROXY: '10.0.0.0/255.0.0.0,::1/128' }, { trustProxy: '10.0.0.0/255.0.0.0,::1/128' }],
  ])('loadConfig(%o) gives %o', (env, expected) => {
    expect(loadConfig(env, dir)).toMatchObject(expected)
  })

  it('loadConfig under NODE_ENV=production without BASE_URL stops the server with one line that says why', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' }, dir, { requireBaseUrlInProduction: true })).toThrow(
      new ConfigError('environment: BASE_URL is required under NODE_ENV=production: it is in every feed id and link, and changing it later shows every article to every subscriber again (set it, such as BASE_URL=https://news.example)'),
    )
  })

  it.each([
    ['with BASE_URL', { NODE_ENV: 'production', BASE_URL: 'https://news.example' }, { requireBaseUrlInProduction: true }, 'https://news.example'],
    ['outside production', { NODE_ENV: 'development' }, { requireBaseUrlInProduction: true }, 'http://localhost:3000'],
    ['for a command that publishes no URL', { NODE_ENV: 'production' }, {}, 'http://localhost:3000'],
  ])('loadConfig under NODE_ENV=production %s starts with baseUrl %s', (_when, env, options, baseUrl) => {
    expect(loadConfig(env, dir, options).baseUrl).toBe(baseUrl)
  })

  it.each([
    [{}, undefined],
    [{ STATUS_TOKEN: 'x'.repeat(32) }, 'x'.repeat(32)],
  ])('loadConfig(%o) gives statusToken %j', (env, statusToken) => {
    expect(loadConfig(env, dir).statusToken).toBe(statusToken)
  })

  it('loadConfig refuses a STATUS_TOKEN short enough to guess', () => {
    expect(() => loadConfig({ STATUS_TOKEN: 'secret' }, dir)).toThrow(new ConfigError('environment: STATUS_TOKEN: expected at least 32 characters, such as the output of `openssl rand -hex 32` (the value is not shown: it is a secret)'))
  })

  it('loadConfig({ CONTENT_DIR }) resolves the folder against the working directory', () => {
    expect(loadConfig({ CONTENT_DIR: 'articles' }, dir).contentDir).toBe(path.join(dir, 'articles'))
  })

  it.each([
    [{ BASE_URL: 'https://news.example/blog?page=1' }, 'environment: BASE_URL: expected an origin such as "https://news.example", or one with a path such as "https://example.com/news", without a query or fragment'],
    [{ BASE_URL: 'https://news.example/blog/../x' }, 'environment: BASE_URL: expected a path without empty, "." or ".." segments'],
    [{ BASE_URL: 'ftp://news.example' }, 'environment: BASE_URL:'],
    [{ PORT: 'eighty' }, 'environment: PORT: expected a whole number, got "eighty"'],
    [{ PORT: '' }, 'environment: PORT: expected a whole number, got ""'],
    [{ PORT: '70000' }, 'environment: PORT: expected a port number from 0 to 65535, got 70000'],
    [{ FEED_SIZE: '2.5' }, 'environment: FEED_SIZE: expected a whole number, got "2.5"'],
    [{ SITE_LANGUAGE: 'French' }, 'environment: SITE_LANGUAGE (site.language: expected a BCP 47 language tag'],
    [{ FEED_SIZE: '0' }, 'environment: FEED_SIZE (feed.size: Too small: expected number to be >=1, got 0)'],
    [{ MEMORY_CACHE_MB: '0' }, 'environment: MEMORY_CACHE_MB (http.memoryCacheMB:'],
    [{ FEED_MAX_BYTES: '2MB' }, 'environment: FEED_MAX_BYTES: expected a whole number, got "2MB"'],
    [{ FEED_MAX_BYTES: '5000' }, 'environment: FEED_MAX_BYTES (feed.maxBytes: Too small: expected number to be >=10000, got 5000)'],
    [{ RATE_LIMIT_MAX: '0' }, 'environment: RATE_LIMIT_MAX (http.rateLimit.max:'],
    // The default author gets an author page, so its name needs a letter or digit, as an article's author does.
    [{ SITE_AUTHOR: '—' }, 'environment: SITE_AUTHOR (site.author.name: expected at least one letter or digit, to make its URL'],
    [{ SITE_TIME_ZONE: 'Paris' }, 'environment: SITE_TIME_ZONE (site.timeZone: expected an IANA time zone such as "Europe/Paris" or "UTC", got "Paris")'],
    [{ TRUST_PROXY: 'banana' }, 'environment: TRUST_PROXY: expected a number of proxies, "false", "loopback", "linklocal", "uniquelocal", or IP addresses and ranges separated by commas (such as "10.0.0.0/8, 127.0.0.1"), got "banana"'],
    [{ TRUST_PROXY: 'true' }, "environment: TRUST_PROXY: trusts every client's X-Forwarded-For, so any client could choose its address"],
    [{ TRUST_PROXY: '10.0.0.0/0' }, "environment: TRUST_PROXY: trusts every client's X-Forwarded-For, so any client could choose its address"],
    [{ TRUST_PROXY: '10.0.0.0/255.0.255.0' }, 'environment: TRUST_PROXY: expected a number of proxies'],
    [{ TRUST_PROXY: 'loopback,' }, 'environment: TRUST_PROXY: expected a number of proxies'],
  ])('loadConfig(%o) throws a ConfigError naming %j', (env, message) => {
    expect(() => loadConfig(env, dir)).toThrow(ConfigError)
    expect(() => loadConfig(env, dir)).toThrow(message)
  })

  it('names the file and the field of an invalid configuration file', async () => {
    await writeFile(path.join(dir, 'creditline.config.json'), JSON.stringify({ site: { ...testSiteSettings, title: '' } }))
    expect(() => loadConfig({}, dir)).toThrow(`${path.join(dir, 'creditline.config.json')}: site.title:`)
  })

  it('loadConfig({ FEED_SIZE: "0" }) does not blame the file, which holds a valid value', () => {
    expect(() => loadConfig({ FEED_SIZE: '0' }, dir)).not.toThrow('creditline.config.json')
  })

  it('names the file for its own mistakes and the variable for its own, in one message', async () => {
    await writeFile(path.join(dir, 'creditline.config.json'), JSON.stringify({ site: { ...testSiteSettings, title: '' } }))
    const message = (() => {
      try {
        loadConfig({ FEED_SIZE: '0' }, dir)
      } catch (error) {
        return (error as Error).message
      }
      return ''
    })()
    expect(message.split('; ')).toEqual([`${path.join(dir, 'creditline.config.json')}: site.title: Too small: expected string to have >=1 characters, got ""`, 'environment: FEED_SIZE (feed.size: Too small: expected number to be >=1, got 0)'])
  })

  it('names the file that cannot be read', () => {
    expect(() => loadConfig({ CREDITLINE_CONFIG: 'missing.json' }, dir)).toThrow(path.join(dir, 'missing.json'))
  })

  // Express throws on a value it cannot take when the app is built, after the content is
  // loaded: every value loadConfig accepts must be one Express accepts.
  it('loadConfig accepts a TRUST_PROXY value only when Express takes it', () => {
    const octet = fc.oneof(fc.integer({ min: 0, max: 255 }).map(String), fc.constantFrom('256', '08', ''))
    const ipv4 = fc.tuple(octet, octet, octet, octet).map((parts) => parts.join('.'))
    const ipv6 = fc.constantFrom('::1', 'fe80::', '::ffff:10.0.0.1', '2001:db8::/', ':::')
    const prefix = fc.oneof(fc.integer({ min: -1, max: 130 }).map(String), ipv4, fc.constantFrom('', ' 8', '8/8'))
    const token = fc.oneof(ipv4, ipv6, fc.constantFrom('loopback', 'linklocal', 'uniquelocal', 'true', 'banana', ''), fc.tuple(fc.oneof(ipv4, ipv6), prefix).map(([address, range]) => `${address}/${range}`), fc.string())
    const value = fc.oneof(fc.tuple(fc.array(token, { minLength: 1, maxLength: 3 }), fc.constantFrom(',', ', ', ' ,')).map(([tokens, comma]) => tokens.join(comma)), fc.nat().map(String), fc.constant('false'))
    fc.assert(
      fc.property(value, (trustProxy) => {
        let config
        try {
          config = loadConfig({ TRUST_PROXY: trustProxy }, dir)
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError)
          return
        }
        expect(() => express().set('trust proxy', config.trustProxy)).not.toThrow()
      }),
      { numRuns: 300 },
    )
  })

  it.each([
    ['a file outside the content folder', '../secret.png', (file: string, content: string) => `${file}: site.icon: expected the path of a PNG picture relative to the content folder (${content}), got "../secret.png"`],
    ['a missing file', 'missing.png', (file: string, content: string) => `${file}: site.icon: expected the path of a PNG picture relative to the content folder (${content}); "missing.png" cannot be read`],
    ['an SVG', 'icon.svg', (file: string, content: string) => `${file}: site.icon: expected the path of a PNG picture relative to the content folder (${content}); "icon.svg" is svg`],
  ])('refuses a site.icon that is %s, naming the file and the field', async (_case, icon, message) => {
    await mkdir(path.join(dir, 'content'))
    await writeFile(path.join(dir, 'content', 'icon.svg'), '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16"/>')
    await writeFile(path.join(dir, 'creditline.config.json'), JSON.stringify({ site: { ...testSiteSettings, icon } }))
    expect(() => loadConfig({}, dir)).toThrow(message(path.join(dir, 'creditline.config.json'), path.join(dir, 'content')))
  })

  it('takes a PNG in the content folder as site.icon', async () => {
    await mkdir(path.join(dir, 'content'))
    await copyFile(new URL('../../assets/icon.png', import.meta.url), path.join(dir, 'content', 'logo.png'))
    await writeFile(path.join(dir, 'creditline.config.json'), JSON.stringify({ site: { ...testSiteSettings, icon: 'logo.png' } }))
    expect(loadConfig({}, dir).site.icon).toBe('logo.png')
  })
})
