import { readFileSync } from 'node:fs'
import { isIP } from 'node:net'
import path from 'node:path'
import { imageSize } from 'image-size'
import { z } from 'zod'
import { describeIssue, formatZodIssues } from './zod-issues.js'
import { languageTag, personObject } from './shared-schema.js'
import { isTimeZone } from './dates.js'

// The same rules as an article's: the default author gets an author page and feed too.
const siteSchema = z.strictObject({
  title: z.string().trim().min(1),
  description: z.string().trim().min(1),
  language: languageTag,
  author: personObject,
  copyright: z.string().trim().min(1),
  /** IANA time zone of the dates pages show; feeds keep each date's own offset. */
  timeZone: z.string().refine(isTimeZone, 'expected an IANA time zone such as "Europe/Paris" or "UTC"').default('UTC'),
  /**
   * The site's icon: a square PNG in the content folder (path relative to it), shown by
   * readers beside the feed and by browsers in the tab. Without it, Creditline's own.
   */
  icon: z.string().trim().min(1).optional(),
})

const httpUrl = z.url({ protocol: /^https?$/ })

const fileSchema = z.strictObject({
  site: siteSchema,
  content: z
    .strictObject({
      /** Largest article file read, in bytes: a long read is about 100 KB, and rendering is not linear in size. */
      maxFileBytes: z.int().min(1).default(1_048_576),
      /** Seconds one article's body may take to render, in its own thread (bodies over 8 KiB; see render-pool). */
      maxRenderSeconds: z.number().positive().max(3600).default(10),
      /** Heap that thread may use, in MB: it needs about 40 to load the Markdown pipeline. */
      maxRenderMB: z.int().min(64).max(65_536).default(512),
    })
    .prefault({}),
  feed: z
    .strictObject({
      /** How many articles the main and topic feeds hold; older ones go to archives. */
      size: z.int().min(1).max(1000).default(20),
      /**
       * Bytes a feed document may take: an item that would break it is sent with its summary
       * and a link to its page. The W3C validator refuses feeds over 5,000,000 bytes.
       */
      maxBytes: z.int().min(10_000).default(2_000_000),
    })
    .prefault({}),
  http: z
    .strictObject({
      maxAge: z.int().min(0).default(300),
      staleWhileRevalidate: z.int().min(0).default(86_400),
      /** Memory for finished responses (bodies and compressed variants), least recently used evicted first. */
      memoryCacheMB: z.int().min(1).max(65_536).default(128),
      rateLimit: z
        .strictObject({
          enabled: z.boolean().default(false),
          windowSeconds: z.int().min(1).default(60),
          max: z.int().min(1).default(30),
          /** Counters kept in memory at most (one per client and URL), least recently used evicted. */
          maxKeys: z.int().min(1).default(20_000),
        })
        .prefault({}),
    })
    .prefault({}),
  cache: z
    .strictObject({
      /** Shared caches (Varnish) told which documents changed, by a BAN with their surrogate keys. */
      purgeUrls: z.array(httpUrl).default([]),
    })
    .prefault({}),
  websub: z
    .strictObject({
      /** WebSub hubs every feed names, and told of each new version of a feed. */
      hubs: z.array(httpUrl).default([]),
    })
    .prefault({}),
})

/** The configuration file's shape, as written by a person. */
export type ConfigFile = z.infer<typeof fileSchema>

/** Everything the service needs to know, resolved once at start-up. */
export interface Config extends ConfigFile {
  port: number
  host: string
  /**
   * Public address of the site, an origin with an optional path (`https://example.com/news`),
   * without a trailing slash; every absolute URL starts with it.
   */
  baseUrl: string
  /** The path of `baseUrl` (`/news`), or `''` at the root of its origin: requests are served under it. */
  basePath: string
  contentDir: string
  /** Where rendered Markdown is cached between runs; `undefined` turns the disk cache off. */
  cacheDir: string | undefined
  logFormat: 'json' | 'pretty' | 'silent'
  /** Watch `contentDir` and republish on change. */
  watch: boolean
  /**
   * Express `trust proxy`: how many proxies (or which addresses) to believe in
   * `X-Forwarded-For`, so the rate limit sees readers, not the proxy. Off by default.
   */
  trustProxy: number | string | false
  /**
   * The bearer token that opens `GET /status` (drafts' file names and problems) to a
   * remote client; without one, only loopback clients reached directly see it.
   */
  statusToken: string | undefined
}

/** Options of `loadConfig`. */
export interface LoadConfigOptions {
  /**
   * Refuse to run under `NODE_ENV=production` without an explicit `BASE_URL`: every feed
   * id and link is built from it, and a default of `http://localhost` published once
   * would change every id when it is fixed.
   */
  requireBaseUrlInProduction?: boolean
  /**
   * Where a variable's value really came from, when not the environment: the CLI passes
   * `--base-url` as `BASE_URL`, and a mistake in it must name the flag.
   */
  sources?: Partial<Record<string, string>>
}

// A number in an environment variable: digits only. z.coerce.number() took "" for 0 and
// reported "eighty" as a missing value.
const wholeNumber = z.string().regex(/^[0-9]+$/, 'expected a whole number').transform(Number)

// A list in an environment variable: comma-separated, blanks ignored; each item is checked by the file's schema.
const urlList = z.string().transform((value) => value.split(',').map((item) => item.trim()).filter((item) => item !== ''))

const envSchema = z.object({
  PORT: wholeNumber.pipe(z.int().max(65_535, 'expected a port number from 0 to 65535')).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  // An origin, or an origin and a path the site lives under; root-relative links in
  // articles ("/articles/x") are relative to it.
  BASE_URL: z
    .url({ protocol: /^https?$/ })
    .refine((value) => /^https?:\/\/[^/?#]+(\/[^?#]*)?$/.test(value), 'expected an origin such as "https://news.example", or one with a path such as "https://example.com/news", without a query or fragment')
    .refine((value) => !/\/\.{1,2}(\/|$)|\/\//.test(value.replace(/^https?:\/\//, '')), 'expected a path without empty, "." or ".." segments')
    .optional(),
  CREDITLINE_CONFIG: z.string().min(1).optional(),
  CONTENT_DIR: z.string().min(1).optional(),
  CACHE_DIR: z.string().optional(),
  LOG_FORMAT: z.enum(['json', 'pretty', 'silent']).optional(),
  WATCH: z.enum(['0', '1', 'true', 'false']).optional(),
  TRUST_PROXY: z
    .string()
    // The clearer message first, for the values that would trust anyone.
    .refine((value) => !trustsEveryAddress(value), { message: "trusts every client's X-Forwarded-For, so any client could choose its address; expected the number of proxies in front of the service (such as 1) or their addresses", abort: true })
    .refine(isTrustProxy, 'expected a number of proxies, "false", "loopback", "linklocal", "uniquelocal", or IP addresses and ranges separated by commas (such as "10.0.0.0/8, 127.0.0.1")')
    .optional(),
  // Checked in loadConfig: a zod issue would quote the secret in the message.
  STATUS_TOKEN: z.string().optional(),
  NODE_ENV: z.string().optional(),
  SITE_TITLE: z.string().optional(),
  SITE_DESCRIPTION: z.string().optional(),
  SITE_LANGUAGE: z.string().optional(),
  SITE_AUTHOR: z.string().optional(),
  SITE_COPYRIGHT: z.string().optional(),
  SITE_TIME_ZONE: z.string().optional(),
  FEED_SIZE: wholeNumber.optional(),
  FEED_MAX_BYTES: wholeNumber.optional(),
  MAX_ARTICLE_BYTES: wholeNumber.optional(),
  MAX_RENDER_SECONDS: z.string().regex(/^[0-9]+(\.[0-9]+)?$/, 'expected a number of seconds such as 10 or 2.5').transform(Number).optional(),
  MAX_RENDER_MB: wholeNumber.optional(),
  CACHE_MAX_AGE: wholeNumber.optional(),
  CACHE_STALE_WHILE_REVALIDATE: wholeNumber.optional(),
  MEMORY_CACHE_MB: wholeNumber.optional(),
  RATE_LIMIT_MAX: wholeNumber.optional(),
  RATE_LIMIT_WINDOW_SECONDS: wholeNumber.optional(),
  CACHE_PURGE_URLS: urlList.optional(),
  WEBSUB_HUBS: urlList.optional(),
})

// Express's `trust proxy` names (proxy-addr's); anything else must be an address or a range.
const trustedRangeNames = new Set(['loopback', 'linklocal', 'uniquelocal'])

/**
 * Whether Express takes this `TRUST_PROXY` value: given anything else it throws from
 * inside createApp, after the content is loaded. Checked by hand, as proxy-addr (Express's
 * dependency, not ours) only says so by throwing; test/config compares the two.
 */
function isTrustProxy(value: string): boolean {
  if (value === 'false' || /^[0-9]+$/.test(value)) return true
  return value.split(',').every((part) => {
    const token = part.trim()
    if (trustedRangeNames.has(token)) return true
    const [address = '', prefix, ...rest] = token.split('/')
    const version = isIP(address)
    if (version === 0 || rest.length > 0) return false
    if (prefix === undefined) return true
    // A prefix length, or for IPv4 a netmask such as 255.255.0.0.
    if (/^[0-9]+$/.test(prefix)) return Number(prefix) >= 1 && Number(prefix) <= (version === 4 ? 32 : 128)
    return version === 4 && isIP(prefix) === 4 && isNetmask(prefix)
  })
}

/** Whether an IPv4 address is a netmask that is not empty: ones, then zeros. */
function isNetmask(address: string): boolean {
  const bits = address.split('.').reduce((value, octet) => value * 256 + Number(octet), 0)
  const inverted = 2 ** 32 - 1 - bits
  // Ones then zeros: the zeros, plus one, are a power of two (bitwise operators work on 32 bits).
  return bits !== 0 && ((inverted + 1) & inverted) === 0
}

/**
 * Whether a `trust proxy` value believes `X-Forwarded-For` from any address: `true`, or
 * a range with a zero-length prefix (`0.0.0.0/0`, `::/0`, `1.2.3.4/0.0.0.0`). A hop count
 * is taken on trust: it must be the number of proxies in front of the service.
 */
function trustsEveryAddress(value: string): boolean {
  return value
    .split(',')
    .map((item) => item.trim().toLowerCase())
    .some((item) => item === 'true' || item === '*' || /\/(0+|0+\.0+\.0+\.0+)$/.test(item))
}

/** Raised when the configuration cannot be used; the message names the file or variable. */
export class ConfigError extends Error {
  override name = 'ConfigError'
}

/**
 * Read the configuration file and apply environment overrides.
 * This is the only place that reads `process.env`; everything else receives a `Config`.
 *
 * @param env environment variables (pass `process.env`)
 * @param cwd directory that relative paths are resolved from
 */
export function loadConfig(env: Record<string, string | undefined>, cwd = process.cwd(), options: LoadConfigOptions = {}): Config {
  // reportInput: messages say what was given ("got …").
  const envResult = envSchema.safeParse(env, { reportInput: true })
  if (!envResult.success) {
    const sourceOf = (issue: z.core.$ZodIssue) => options.sources?.[String(issue.path[0])]
    const fromEnv = envResult.error.issues.filter((issue) => sourceOf(issue) === undefined)
    const parts = [
      ...envResult.error.issues.filter((issue) => sourceOf(issue) !== undefined).map((issue) => `${sourceOf(issue)}: ${describeIssue(issue)}`),
      ...(fromEnv.length > 0 ? [`environment: ${formatZodIssues(fromEnv).join('; ')}`] : []),
    ]
    throw new ConfigError(parts.join('; '))
  }
  const vars = envResult.data
  // Long enough that it cannot be guessed; `openssl rand -hex 32` gives 64 characters.
  if (vars.STATUS_TOKEN !== undefined && vars.STATUS_TOKEN.length < 32) {
    throw new ConfigError('environment: STATUS_TOKEN: expected at least 32 characters, such as the output of `openssl rand -hex 32` (the value is not shown: it is a secret)')
  }
  if (options.requireBaseUrlInProduction && vars.NODE_ENV === 'production' && vars.BASE_URL === undefined) {
    throw new ConfigError('environment: BASE_URL is required under NODE_ENV=production: it is in every feed id and link, and changing it later shows every article to every subscriber again (set it, such as BASE_URL=https://news.example)')
  }
  const file = path.resolve(cwd, vars.CREDITLINE_CONFIG ?? 'creditline.config.json')
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    throw new ConfigError(`${file}: ${(error as Error).message}`)
  }
  const { data: merged, setBy } = applyEnvOverrides(raw, vars)
  const result = fileSchema.safeParse(merged, { reportInput: true })
  if (!result.success) {
    // A value a variable put there is the variable's fault, not the file's: name it.
    const variableOf = (issue: z.core.$ZodIssue) => setBy.get(issue.path.slice(0, 2).join('.'))
    const fromFile = result.error.issues.filter((issue) => variableOf(issue) === undefined)
    const fromEnv = result.error.issues.filter((issue) => variableOf(issue) !== undefined)
    const parts = [
      ...(fromFile.length > 0 ? [`${file}: ${formatZodIssues(fromFile).join('; ')}`] : []),
      ...(fromEnv.length > 0 ? [`environment: ${fromEnv.map((issue) => `${variableOf(issue)} (${formatZodIssues([issue])[0]})`).join('; ')}`] : []),
    ]
    throw new ConfigError(parts.join('; '))
  }
  const contentDir = path.resolve(cwd, vars.CONTENT_DIR ?? 'content')
  if (result.data.site.icon !== undefined) checkSiteIcon(file, contentDir, result.data.site.icon)
  const port = vars.PORT
  // Percent-encoded as clients send it, without a trailing slash: URLs append `/feed.xml`.
  const publicUrl = new URL(vars.BASE_URL ?? `http://localhost:${port}`)
  const basePath = publicUrl.pathname.replace(/\/+$/, '')
  const baseUrl = `${publicUrl.origin}${basePath}`
  const isTest = vars.NODE_ENV === 'test'
  return {
    ...result.data,
    port,
    host: vars.HOST,
    baseUrl,
    basePath,
    contentDir,
    cacheDir: vars.CACHE_DIR === '' ? undefined : path.resolve(cwd, vars.CACHE_DIR ?? '.cache/render'),
    logFormat: vars.LOG_FORMAT ?? (isTest ? 'silent' : env.NODE_ENV === 'production' ? 'json' : 'pretty'),
    watch: vars.WATCH === undefined ? !isTest : vars.WATCH === '1' || vars.WATCH === 'true',
    statusToken: vars.STATUS_TOKEN,
    trustProxy: vars.TRUST_PROXY === undefined || vars.TRUST_PROXY === 'false' ? false : /^\d+$/.test(vars.TRUST_PROXY) ? Number(vars.TRUST_PROXY) : vars.TRUST_PROXY,
  }
}

/** A configured icon must be a PNG inside the content folder: RSS `<image>` and `/favicon.ico` take no other kind. */
function checkSiteIcon(file: string, contentDir: string, icon: string): void {
  const expected = `expected the path of a PNG picture relative to the content folder (${contentDir})`
  const target = path.resolve(contentDir, icon)
  if (path.relative(contentDir, target).startsWith('..')) throw new ConfigError(`${file}: site.icon: ${expected}, got "${icon}"`)
  let type: string | undefined
  try {
    type = imageSize(readFileSync(target)).type
  } catch (error) {
    throw new ConfigError(`${file}: site.icon: ${expected}; "${icon}" cannot be read (${(error as Error).message})`)
  }
  if (type !== 'png') throw new ConfigError(`${file}: site.icon: ${expected}; "${icon}" is ${type ?? 'not a picture'}`)
}

/**
 * Environment variables win over the file, so one image can serve several sites.
 * `setBy` maps each field a variable set (`feed.size`) to that variable (`FEED_SIZE`).
 */
function applyEnvOverrides(raw: unknown, vars: z.infer<typeof envSchema>): { data: unknown; setBy: Map<string, string> } {
  const setBy = new Map<string, string>()
  if (typeof raw !== 'object' || raw === null) return { data: raw, setBy }
  const data = structuredClone(raw) as Record<string, Record<string, unknown>>
  const section = (key: string): Record<string, unknown> => {
    const value = data[key]
    if (typeof value === 'object' && value !== null) return value
    data[key] = {}
    return data[key]
  }
  const set = (name: keyof typeof vars, key: string, field: string, value: unknown = vars[name]) => {
    if (vars[name] === undefined) return
    section(key)[field] = value
    setBy.set(`${key}.${field}`, name)
  }
  set('SITE_TITLE', 'site', 'title')
  set('SITE_DESCRIPTION', 'site', 'description')
  set('SITE_LANGUAGE', 'site', 'language')
  set('SITE_COPYRIGHT', 'site', 'copyright')
  set('SITE_TIME_ZONE', 'site', 'timeZone')
  set('SITE_AUTHOR', 'site', 'author', { name: vars.SITE_AUTHOR })
  set('FEED_SIZE', 'feed', 'size')
  set('FEED_MAX_BYTES', 'feed', 'maxBytes')
  set('MAX_ARTICLE_BYTES', 'content', 'maxFileBytes')
  set('MAX_RENDER_SECONDS', 'content', 'maxRenderSeconds')
  set('MAX_RENDER_MB', 'content', 'maxRenderMB')
  set('CACHE_MAX_AGE', 'http', 'maxAge')
  set('CACHE_STALE_WHILE_REVALIDATE', 'http', 'staleWhileRevalidate')
  set('MEMORY_CACHE_MB', 'http', 'memoryCacheMB')
  set('CACHE_PURGE_URLS', 'cache', 'purgeUrls')
  set('WEBSUB_HUBS', 'websub', 'hubs')
  if (vars.RATE_LIMIT_MAX !== undefined || vars.RATE_LIMIT_WINDOW_SECONDS !== undefined) {
    const http = section('http')
    const limit = (typeof http.rateLimit === 'object' && http.rateLimit) || {}
    http.rateLimit = {
      ...limit,
      enabled: true,
      ...(vars.RATE_LIMIT_MAX === undefined ? {} : { max: vars.RATE_LIMIT_MAX }),
      ...(vars.RATE_LIMIT_WINDOW_SECONDS === undefined ? {} : { windowSeconds: vars.RATE_LIMIT_WINDOW_SECONDS }),
    }
    // Names the pair: either variable turns the limit on, so either may be the culprit.
    setBy.set('http.rateLimit', vars.RATE_LIMIT_MAX !== undefined ? 'RATE_LIMIT_MAX' : 'RATE_LIMIT_WINDOW_SECONDS')
  }
  return { data, setBy }
}
