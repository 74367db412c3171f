import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { corpusVersion, generateCorpus, reviseArticle, selectNewest } from './lib/generate-corpus.mjs'
import { findFreePort, killChildren, readCpuSeconds, readLoadAverage, readMemory, request, spawnNode, waitForExitWithCpu, waitForStatus } from './lib/processes.mjs'
import { printProfileSummary, summarizeProfile } from './lib/profile-summary.mjs'
import { timeEditsWhilePolling } from './lib/time-edits-while-polling.mjs'
import { findMissingVarnish, startVarnishd } from './lib/varnishd.mjs'

/**
 * Creditline's benchmark (issue 5): cold start, full export, edit latency, memory and
 * throughput against a plain node:http baseline, on a generated corpus; and (issue 17)
 * aggregators' load through Varnish while articles change. Prints a table and writes
 * bench/results/<timestamp>.json. Run `node bench/run-bench.mjs --help`.
 */

const repoDir = fileURLToPath(new URL('..', import.meta.url))
// What `npm start` and the Procfile run: the bundled server.
const serverScript = path.join(repoDir, 'dist', 'bundle', 'server.js')
const cliScript = path.join(repoDir, 'dist', 'cli', 'main.js')
const autocannonScript = path.join(repoDir, 'node_modules', 'autocannon', 'autocannon.js')
const baselineScript = fileURLToPath(new URL('./lib/baseline-server.mjs', import.meta.url))
const loadMixScript = fileURLToPath(new URL('./lib/load-mix.mjs', import.meta.url))
// A fixed public origin: it is part of the render cache key, so a per-port origin would never hit a warm cache.
const baseUrl = 'https://news.example'
const allPhases = ['cold', 'export', 'memory', 'edit', 'throughput', 'varnish', 'profile']
const defaultPhases = ['cold', 'export', 'memory', 'edit', 'throughput', 'varnish']

const help = `Usage: npm run bench [-- options]   (or: node bench/run-bench.mjs [options] after npm run build)

  --sizes 1000,10000   corpus sizes (env BENCH_SIZES)
  --quick              short run: 1,000 articles, 3 runs, 2 s per load case, 10 edits, 10 s through Varnish
  --runs N             cold starts per case, median reported (default 5)
  --duration S         seconds per autocannon case (default 5, plus 1 s warm-up)
  --connections C      autocannon connections (default 10)
  --edits N            edits for the edit-latency phase (default 30)
  --rounds N           alternating rounds per load case, best kept (default 2)
  --phases LIST        any of ${allPhases.join(',')} (default ${defaultPhases.join(',')});
                       varnish needs Debian's varnish package and is skipped without it
  --cache-connections C  connections of the varnish phase (default 256)
  --cache-duration S   seconds of each varnish-phase case (default 60)
  --profile            also write and summarise CPU profiles (cold start; server under load), largest size
  --feed-size N        articles per feed (default 20, the product's default)
  --seed N             corpus seed (default 20261126)
  --keep               keep the temporary folder (corpus, caches, profiles)
  --no-write           do not write bench/results/<timestamp>.json
`

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string' },
    quick: { type: 'boolean', default: false },
    runs: { type: 'string' },
    duration: { type: 'string' },
    connections: { type: 'string' },
    edits: { type: 'string' },
    rounds: { type: 'string' },
    phases: { type: 'string' },
    'cache-connections': { type: 'string' },
    'cache-duration': { type: 'string' },
    profile: { type: 'boolean', default: false },
    'feed-size': { type: 'string' },
    seed: { type: 'string' },
    keep: { type: 'boolean', default: false },
    'no-write': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
})
if (args.help) {
  console.log(help)
  process.exit(0)
}

const env = process.env
const quick = args.quick || env.BENCH_QUICK === '1'
const options = {
  sizes: (args.sizes ?? env.BENCH_SIZES ?? (quick ? '1000' : '1000,10000')).split(',').map(Number),
  runs: Number(args.runs ?? env.BENCH_RUNS ?? (quick ? 3 : 5)),
  duration: Number(args.duration ?? env.BENCH_DURATION ?? (quick ? 2 : 5)),
  connections: Number(args.connections ?? env.BENCH_CONNECTIONS ?? 10),
  edits: Number(args.edits ?? env.BENCH_EDITS ?? (quick ? 10 : 30)),
  rounds: Number(args.rounds ?? env.BENCH_ROUNDS ?? (quick ? 1 : 2)),
  phases: (args.phases ?? env.BENCH_PHASES ?? defaultPhases.join(',')).split(',').filter(Boolean),
  cacheConnections: Number(args['cache-connections'] ?? env.BENCH_CACHE_CONNECTIONS ?? 256),
  cacheDuration: Number(args['cache-duration'] ?? env.BENCH_CACHE_DURATION ?? (quick ? 10 : 60)),
  feedSize: Number(args['feed-size'] ?? env.BENCH_FEED_SIZE ?? 20),
  seed: Number(args.seed ?? env.BENCH_SEED ?? 20261126),
  quick,
}
if (args.profile && !options.phases.includes('profile')) options.phases.push('profile')
for (const size of options.sizes) if (!Number.isInteger(size) || size < 1) throw new Error(`--sizes: ${size} is not a positive whole number`)
for (const phase of options.phases) if (!allPhases.includes(phase)) throw new Error(`--phases: unknown phase ${phase}`)
if (!existsSync(serverScript)) throw new Error(`${serverScript} is missing: run npm run build first (npm run bench does)`)

/** Targets of issue 5, checked at 10,000 articles. */
const targetSize = 10_000

const results = {
  benchVersion: 1,
  corpusVersion,
  startedAt: new Date().toISOString(),
  machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` },
  git: gitInfo(),
  options,
  load: { atStart: readLoadAverage(), atEnd: undefined },
  sizes: {},
  throughput: undefined,
  throughCache: undefined,
  profiles: undefined,
  targets: [],
  finishedAt: undefined,
}

const workDir = await mkdtemp(path.join(os.tmpdir(), 'creditline-bench-'))
const configFile = path.join(workDir, 'creditline.config.json')
await writeFile(
  configFile,
  JSON.stringify({
    site: { title: 'Creditline Bench', description: 'Un corpus généré pour mesurer Creditline.', language: 'fr', author: { name: 'La rédaction' }, copyright: '© 2026 Creditline' },
    feed: { size: options.feedSize },
  }),
)
process.once('SIGINT', () => {
  killChildren()
  process.exit(130)
})

try {
  log(`Creditline bench: sizes ${options.sizes.join(', ')}, phases ${options.phases.join(', ')}; work folder ${workDir}; load average ${results.load.atStart}`)
  for (const size of options.sizes) {
    const sizeDir = path.join(workDir, `n${size}`)
    const started = performance.now()
    const corpus = await generateCorpus({ contentDir: path.join(sizeDir, 'content'), count: size, seed: options.seed })
    const entry = {
      corpus: { articles: size, published: corpus.published, megabytes: round(corpus.bytes / 1e6, 1), words: corpus.words, generateMs: Math.round(performance.now() - started) },
    }
    results.sizes[size] = entry
    log(`n=${size}: corpus of ${size} articles (${corpus.published} published, ${entry.corpus.megabytes} MB) in ${entry.corpus.generateMs} ms`)
    const context = { size, sizeDir, corpus, warmCacheDir: undefined }
    entry.loadAtStart = readLoadAverage()
    const largest = size === Math.max(...options.sizes)
    // A phase that fails is reported and the others still run: one broken measure must not cost the whole run.
    if (options.phases.includes('cold')) entry.coldStart = await attempt(`n=${size} cold start`, () => measureColdStart(context))
    if (options.phases.includes('export')) entry.export = await attempt(`n=${size} export`, () => measureExport(context))
    if (options.phases.includes('memory') || options.phases.includes('edit')) Object.assign(entry, await attempt(`n=${size} memory and edits`, () => measureMemoryAndEdits(context)))
    if (options.phases.includes('throughput') && largest) results.throughput = await attempt('throughput', () => measureThroughput(context))
    if (options.phases.includes('varnish') && largest) results.throughCache = await attempt('varnish', () => measureThroughCache(context))
    if (options.phases.includes('profile') && largest) results.profiles = await attempt('profile', () => profileServer(context))
  }
  results.load.atEnd = readLoadAverage()
  results.finishedAt = new Date().toISOString()
  results.targets = evaluateTargets(results)
  printReport(results)
  if (!args['no-write']) {
    const resultsDir = fileURLToPath(new URL('./results/', import.meta.url))
    await mkdir(resultsDir, { recursive: true })
    const file = path.join(resultsDir, `${results.startedAt.replace(/[:.]/g, '-')}.json`)
    await writeFile(file, `${JSON.stringify(results, null, 2)}\n`)
    log(`results written to ${path.relative(repoDir, file)}`)
  }
} finally {
  killChildren()
  if (args.keep) log(`kept ${workDir}`)
  else await rm(workDir, { recursive: true, force: true })
}

// ---------------------------------------------------------------------------- phases

/** Spawn-to-first-200 of /feed.xml and /feed.json, median of several runs, with an empty and a warm render cache. */
async function measureColdStart(context) {
  const { size, sizeDir } = context
  const warmCacheDir = path.join(sizeDir, 'cache-warm')
  // The warm cache is what a previous run of the server left: the renders its first requests needed.
  const primer = await startServer({ contentDir: context.corpus.contentDir, cacheDir: warmCacheDir, watch: false })
  for (const route of ['/feed.xml', '/feed.json', '/atom.xml']) await request(`${primer.url}${route}`)
  await primer.stop()
  context.warmCacheDir = warmCacheDir
  const out = {}
  for (const cache of ['empty', 'warm']) {
    for (const route of ['/feed.xml', '/feed.json']) {
      const runs = []
      for (let run = 0; run < options.runs; run++) {
        const cacheDir = cache === 'warm' ? warmCacheDir : await mkdtemp(path.join(sizeDir, 'cache-empty-'))
        const server = await startServer({ contentDir: context.corpus.contentDir, cacheDir, watch: false, waitFor: route })
        runs.push({ ms: Math.round(server.firstResponse.ms), listeningMs: Math.round(server.firstResponse.listeningMs), cpuMs: Math.round(server.firstResponse.cpuMs) })
        await server.stop()
        if (cache === 'empty') await rm(cacheDir, { recursive: true, force: true })
      }
      const key = `${route}:${cache}`
      out[key] = { medianMs: median(runs.map((run) => run.ms)), medianListeningMs: median(runs.map((run) => run.listeningMs)), medianCpuMs: median(runs.map((run) => run.cpuMs)), runs }
      log(`n=${size}: cold start to 200 ${route}, ${cache} cache: median ${out[key].medianMs} ms (listening after ${out[key].medianListeningMs} ms; ${out[key].medianCpuMs} ms of CPU) over ${runs.map((run) => run.ms).join(', ')}`)
    }
  }
  return out
}

/** `build --out` of everything, with an empty then a warm render cache, then warm on one thread. */
async function measureExport(context) {
  const { size, sizeDir } = context
  if (!existsSync(cliScript)) {
    log(`n=${size}: export not available (${path.relative(repoDir, cliScript)} does not exist yet)`)
    return { available: false, reason: `${path.relative(repoDir, cliScript)} not found` }
  }
  const cacheDir = path.join(sizeDir, 'cache-export')
  const out = { available: true }
  // Last, one thread with a warm cache: what a one-core host gets, and how much the second thread adds.
  for (const [cache, jobs] of [['cold', []], ['warm', []], ['warmOneThread', ['--jobs', '1']]]) {
    const outDir = path.join(sizeDir, `export-${cache}`)
    const started = performance.now()
    const cli = spawnNode([cliScript, 'build', '--out', outDir, ...jobs], { cwd: repoDir, env: serverEnv({ contentDir: context.corpus.contentDir, cacheDir, watch: false, port: 0 }) })
    // The process's CPU time (all its threads) tells how well the export uses both cores.
    const { code, signal, cpuSeconds } = await waitForExitWithCpu(cli)
    const ms = Math.round(performance.now() - started)
    const cpuMs = Math.round(cpuSeconds * 1000)
    if (code !== 0) {
      log(`n=${size}: export ${cache} failed (exit ${code ?? signal}) after ${ms} ms:\n${cli.output().slice(-2000)}`)
      out[cache] = { ok: false, ms, exit: code ?? signal, output: cli.output().slice(-2000) }
      continue
    }
    const files = await countFiles(outDir)
    // The cache the export reads and fills: renders, the front-matter index and serialized items.
    const cached = await countFiles(cacheDir)
    out[cache] = { ok: true, ms, cpuMs, files: files.count, megabytes: round(files.bytes / 1e6, 1), cacheMegabytes: round(cached.bytes / 1e6, 1) }
    log(`n=${size}: export ${cache} in ${ms} ms, ${cpuMs} ms of CPU (${files.count} files, ${out[cache].megabytes} MB; cache ${out[cache].cacheMegabytes} MB)`)
    await rm(outDir, { recursive: true, force: true })
    flushDisk()
  }
  return out
}

/**
 * Write out what the page cache still holds (an export leaves hundreds of megabytes of
 * cache files), so the next measurement does not pay for the last one's writeback.
 * Not timed: a build tool's run ends when its files are written, not when they reach the disk.
 */
function flushDisk() {
  try {
    execFileSync('sync', { stdio: 'ignore' })
  } catch {
    // No `sync` on this system: the next phase may share the disk with the writeback.
  }
}

/**
 * One watching server: memory after start, after every feed was served once, and at
 * rest; then edits of articles that are in /feed.xml, each timed until its new ETag is served.
 */
async function measureMemoryAndEdits(context) {
  const { size, corpus, sizeDir } = context
  const server = await startServer({ contentDir: corpus.contentDir, cacheDir: await mkdtemp(path.join(sizeDir, 'cache-memory-')), watch: true })
  const result = {}
  try {
    const status = JSON.parse((await request(`${server.url}/status`)).body.toString())
    result.check = { articles: status.articles, expected: corpus.published, problems: status.problems.length }
    if (status.articles !== corpus.published || status.problems.length > 0) {
      log(`n=${size}: WARNING the server publishes ${status.articles} articles (expected ${corpus.published}) with ${status.problems.length} problems, e.g. ${JSON.stringify(status.problems.slice(0, 3))}`)
    }
    if (options.phases.includes('memory')) {
      const atStart = readMemory(server.pid)
      const feeds = await listEveryFeed(corpus)
      const started = performance.now()
      for (const feed of feeds) {
        const response = await request(`${server.url}${feed}`)
        if (response.status !== 200) throw new Error(`${feed} answered ${response.status}`)
      }
      const serveMs = Math.round(performance.now() - started)
      const afterFeeds = readMemory(server.pid)
      // "Steady": what stays resident once the burst of work is over.
      await sleep(3000)
      const steady = readMemory(server.pid)
      result.memory = {
        feeds: feeds.length,
        serveEveryFeedMs: serveMs,
        rssAfterStartMB: round(atStart.rssMB, 0),
        rssAfterFeedsMB: round(afterFeeds.rssMB, 0),
        steadyRssMB: round(steady.rssMB, 0),
        peakMB: round(steady.peakMB, 0),
      }
      log(`n=${size}: memory: ${result.memory.rssAfterStartMB} MB after start, ${result.memory.rssAfterFeedsMB} MB after serving ${feeds.length} feeds in ${serveMs} ms, steady ${result.memory.steadyRssMB} MB, peak ${result.memory.peakMB} MB`)
    }
    if (options.phases.includes('edit')) {
      result.edit = await measureEdits(server, corpus)
      result.edit.peakAfterEditsMB = round(readMemory(server.pid).peakMB, 0)
      log(`n=${size}: edit to new ETag over ${result.edit.samples.length} edits: p50 ${result.edit.p50Ms} ms, p95 ${result.edit.p95Ms} ms, max ${result.edit.maxMs} ms${result.edit.timeouts ? `, ${result.edit.timeouts} timed out` : ''}`)
    }
  } catch (error) {
    const { exitCode, signalCode } = server.child
    if (exitCode !== null || signalCode !== null) error.message += `\nthe server exited (${exitCode ?? signalCode}); its last output:\n${server.output().slice(-4000)}`
    throw error
  } finally {
    await server.stop()
  }
  return result
}

async function measureEdits(server, corpus, count = options.edits) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
  const targets = selectNewest(corpus.articles, options.feedSize)
  let { etag } = await fetchEtag(`${server.url}/feed.xml`, agent)
  const samples = []
  let timeouts = 0
  let resets = 0
  for (let edit = 0; edit < count; edit++) {
    const target = targets[edit % targets.length]
    const file = path.join(corpus.contentDir, target.file)
    const started = performance.now()
    await writeFile(file, reviseArticle(target.text, edit + 1))
    let changed
    while (!changed) {
      if (performance.now() - started > 10_000) break
      let response
      try {
        response = await request(`${server.url}/feed.xml`, { agent, headers: { 'if-none-match': etag } })
      } catch (error) {
        // A kept-alive connection the server closed at that very moment: ask again on a new one.
        if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') throw error
        if (server.child.exitCode !== null || server.child.signalCode !== null) throw new Error(`the server exited during the edits:\n${server.output()}`)
        resets++
        continue
      }
      if (response.status === 200) changed = response.headers.etag
      else if (response.status !== 304) throw new Error(`/feed.xml answered ${response.status} while polling`)
      else await sleep(1)
    }
    if (changed) {
      samples.push(round(performance.now() - started, 1))
      etag = changed
    } else {
      timeouts++
      etag = (await fetchEtag(`${server.url}/feed.xml`, agent)).etag
    }
    // Let the watcher go quiet, so each edit is measured on its own.
    await sleep(150)
  }
  // Put the corpus back as generated, so later phases measure the same bytes on every run.
  for (const target of targets) await writeFile(path.join(corpus.contentDir, target.file), target.text)
  agent.destroy()
  const sorted = [...samples].sort((a, b) => a - b)
  return { p50Ms: percentile(sorted, 50), p95Ms: percentile(sorted, 95), maxMs: sorted.at(-1), timeouts, connectionResets: resets, samples }
}

/** Requests per second and p99 of Creditline and of a plain node:http server answering the same bytes. */
async function measureThroughput(context) {
  const { size, corpus, sizeDir } = context
  const server = await startServer({ contentDir: corpus.contentDir, cacheDir: context.warmCacheDir ?? (await mkdtemp(path.join(sizeDir, 'cache-throughput-'))), watch: false })
  let baseline
  try {
    const article = selectNewest(corpus.articles, 1)[0]
    const articlePath = `/articles/${article.slug}`
    const routesFile = path.join(sizeDir, 'baseline-routes.json')
    const routes = {}
    const captured = {}
    for (const route of ['/feed.xml', '/feed.json', articlePath]) {
      const identity = await request(`${server.url}${route}`)
      const br = await request(`${server.url}${route}`, { headers: { 'accept-encoding': 'br' } })
      if (identity.status !== 200 || br.status !== 200) throw new Error(`${route} answered ${identity.status}/${br.status}`)
      const name = route.replace(/[^a-z0-9]+/gi, '-')
      await writeFile(path.join(sizeDir, `${name}.identity`), identity.body)
      await writeFile(path.join(sizeDir, `${name}.br`), br.body)
      routes[route] = { contentType: identity.headers['content-type'], etag: identity.headers.etag, identity: path.join(sizeDir, `${name}.identity`), br: br.headers['content-encoding'] === 'br' ? path.join(sizeDir, `${name}.br`) : undefined }
      captured[route] = { etag: identity.headers.etag, identityBytes: identity.body.length, brBytes: br.body.length }
    }
    await writeFile(routesFile, JSON.stringify(routes))
    const port = await findFreePort()
    baseline = spawnNode([baselineScript, routesFile, String(port)], { cwd: repoDir })
    await waitForStatus(`http://127.0.0.1:${port}/feed.xml`, { since: performance.now(), process: baseline })
    const baselineUrl = `http://127.0.0.1:${port}`
    const etag = captured['/feed.xml'].etag
    const cases = [
      { name: '/feed.xml 200 br', path: '/feed.xml', headers: { 'accept-encoding': 'br' }, status: 200, bytes: captured['/feed.xml'].brBytes },
      { name: '/feed.xml 200 identity', path: '/feed.xml', headers: {}, status: 200, bytes: captured['/feed.xml'].identityBytes },
      { name: '/feed.xml 304', path: '/feed.xml', headers: { 'if-none-match': etag }, status: 304, bytes: 0 },
      { name: '/feed.json 200 br', path: '/feed.json', headers: { 'accept-encoding': 'br' }, status: 200, bytes: captured['/feed.json'].brBytes },
      { name: 'article page 200 br', path: articlePath, headers: { 'accept-encoding': 'br' }, status: 200, bytes: captured[articlePath].brBytes },
    ]
    const out = { articles: size, connections: options.connections, durationS: options.duration, rounds: options.rounds, cases: [] }
    for (const testCase of cases) {
      // Alternate the two servers and keep each one's best round: other work on the machine only ever slows a round down.
      const creditlineRounds = []
      const baselineRounds = []
      for (let attempt = 0; attempt < options.rounds; attempt++) {
        creditlineRounds.push(await runLoad(`${server.url}${testCase.path}`, testCase, server.pid))
        baselineRounds.push(await runLoad(`${baselineUrl}${testCase.path}`, testCase, baseline.pid))
      }
      const best = (rounds) => ({ ...rounds.reduce((a, b) => (b.rps > a.rps ? b : a)), roundsRps: rounds.map((r) => r.rps) })
      const creditline = best(creditlineRounds)
      const plain = best(baselineRounds)
      const row = { ...testCase, creditline, baseline: plain, ratio: round(creditline.rps / plain.rps, 2) }
      delete row.headers
      out.cases.push(row)
      log(`throughput ${testCase.name} (${testCase.bytes} B): Creditline ${creditline.rps} req/s p99 ${creditline.p99Ms} ms (server CPU ${creditline.serverCpuPercent} %), baseline ${plain.rps} req/s p99 ${plain.p99Ms} ms, ratio ${row.ratio}`)
    }
    return out
  } finally {
    await server.stop()
    await baseline?.stop()
  }
}

/**
 * Aggregators' load (a mix, mostly /feed.xml) at `--cache-connections` for `--cache-duration`
 * seconds while an article of /feed.xml changes every second: on the origin alone, then
 * through Varnish with the shipped VCL, purged by the service (CACHE_PURGE_URLS). For each:
 * requests per second, latency, failed requests, the requests that reached the origin, and
 * the time from each edit's write until a client polling /feed.xml gets the new text.
 */
async function measureThroughCache(context) {
  const missing = findMissingVarnish()
  if (missing) {
    log(`varnish phase skipped: ${missing}`)
    return { skipped: missing }
  }
  const { size, corpus, sizeDir } = context
  const { slugifyName } = await import(pathToFileURL(path.join(repoDir, 'dist', 'content', 'slugify-name.js')).href)
  // Every edited article is in /feed.xml, so every edit changes it.
  const edited = selectNewest(corpus.articles, options.feedSize)
  const newest = edited[0]
  const mix = describeAggregatorMix(`/articles/${newest.slug}`, `/tags/${encodeURIComponent(slugifyName(newest.tags[0]))}/feed.xml`)
  const out = {
    articles: size,
    connections: options.cacheConnections,
    durationS: options.cacheDuration,
    editIntervalMs: 1000,
    mix,
    cases: [],
  }
  const cacheDir = context.warmCacheDir ?? (await mkdtemp(path.join(sizeDir, 'cache-varnish-')))
  for (const [index, name] of ['origin only', 'through Varnish'].entries()) {
    const varnishPort = name === 'through Varnish' ? await findFreePort() : undefined
    const server = await startServer({ contentDir: corpus.contentDir, cacheDir, watch: true, purgeUrl: varnishPort ? `http://127.0.0.1:${varnishPort}/` : undefined })
    let varnish
    try {
      if (varnishPort) varnish = await startVarnishd({ backendPort: server.port, port: varnishPort, dir: await mkdtemp(path.join(sizeDir, 'varnish-')) })
      const target = varnish?.url ?? server.url
      await waitUntilRendered(server)
      // Every document of the mix rendered (and, through Varnish, stored) before the clock starts.
      for (const entry of mix) {
        const response = await request(`${target}${entry.path}`, { headers: entry.headers })
        if (response.status !== 200) throw new Error(`${entry.path} answered ${response.status} through ${name}`)
      }
      const countersBefore = varnish?.readCounters()
      const loadAtStart = readLoadAverage()
      const cpuBefore = { origin: readCpuSeconds(server.pid), varnish: varnish?.readCpuSeconds() }
      const started = performance.now()
      const cannon = spawnNode([loadMixScript, JSON.stringify({ url: target, connections: options.cacheConnections, durationS: options.cacheDuration, requests: mix })], { cwd: repoDir })
      // The load generator's own CPU use tells whether it, not the server, was the limit.
      const cannonExit = waitForExitWithCpu(cannon, 200)
      const edits = await timeEditsWhilePolling({ feedUrl: `${target}/feed.xml`, contentDir: corpus.contentDir, articles: edited, firstRevision: 1000 * (index + 1), until: cannonExit })
      const { code, cpuSeconds: cannonCpu } = await cannonExit
      const seconds = (performance.now() - started) / 1000
      const cpuPercent = (used) => Math.round((100 * used) / seconds)
      const cpu = { loadGenerator: cpuPercent(cannonCpu), origin: cpuPercent(readCpuSeconds(server.pid) - cpuBefore.origin), ...(varnish ? { varnish: cpuPercent(varnish.readCpuSeconds() - cpuBefore.varnish) } : {}) }
      const reportLine = cannon.output().trim().split('\n').findLast((line) => line.startsWith('{'))
      if (code !== 0 || !reportLine) throw new Error(`the load generator failed on ${target}:\n${cannon.output().slice(-2000)}`)
      const report = JSON.parse(reportLine)
      const statuses = Object.fromEntries(Object.entries(report.statusCodeStats ?? {}).map(([status, { count }]) => [status, count]))
      // A failed request: no answer, or one that is neither a success nor a redirect or 304.
      const failedStatuses = Object.entries(statuses).filter(([status]) => Number(status) < 200 || Number(status) >= 400).reduce((sum, [, count]) => sum + count, 0)
      const counters = varnish ? diffCounters(countersBefore, varnish.readCounters()) : undefined
      const sorted = [...edits.samples].sort((a, b) => a - b)
      const row = {
        name,
        rps: Math.round(report.requests.total / report.duration),
        requests: report.requests.total,
        p50Ms: report.latency.p50,
        p99Ms: report.latency.p99,
        maxMs: report.latency.max,
        statuses,
        errors: report.errors,
        timeouts: report.timeouts,
        failed: failedStatuses + report.errors + report.timeouts,
        // Through Varnish, what it fetched; without it, every request (the mix's and the poller's).
        originRequests: counters ? counters.backend_req : report.requests.total + edits.polls,
        varnish: counters,
        edits: {
          count: edits.samples.length + edits.missed,
          seenP50Ms: percentile(sorted, 50),
          seenP95Ms: percentile(sorted, 95),
          seenMaxMs: sorted.at(-1),
          missed: edits.missed,
          withinOneSecond: sorted.filter((ms) => ms <= 1000).length,
          polls: edits.polls,
          pollErrors: edits.pollErrors,
          samples: edits.samples,
        },
        cpuPercent: cpu,
        load: { atStart: loadAtStart, atEnd: readLoadAverage() },
      }
      out.cases.push(row)
      log(
        `${name} at n=${size}: ${row.rps} req/s, p50 ${row.p50Ms} ms, p99 ${row.p99Ms} ms, ${row.failed} failed (${JSON.stringify(statuses)}, ${row.errors} errors, ${row.timeouts} timeouts), ` +
          `${row.originRequests} requests reached the origin; ${row.edits.count} edits seen after p50 ${row.edits.seenP50Ms} ms, max ${row.edits.seenMaxMs} ms (${row.edits.withinOneSecond} within 1 s, ${row.edits.missed} missed); ` +
          `CPU: load generator ${cpu.loadGenerator} %, origin ${cpu.origin} %${varnish ? `, varnishd ${cpu.varnish} %` : ''}; load average ${row.load.atStart} → ${row.load.atEnd}`,
      )
    } finally {
      await varnish?.stop()
      await server.stop()
    }
  }
  return out
}

/** Wait for the server's background rendering after start-up (`pending` in /status) to end, so that it does not compete with the load. */
async function waitUntilRendered(server) {
  const deadline = performance.now() + 120_000
  for (;;) {
    const { pending } = JSON.parse((await request(`${server.url}/status`)).body.toString())
    if (pending === 0) return
    if (performance.now() > deadline) throw new Error(`${pending} articles still not rendered 120 s after start-up`)
    await sleep(100)
  }
}

/**
 * What feed readers and aggregators ask for, as one connection's repeating sequence: mostly
 * /feed.xml (gzip, brotli and uncompressed), the Atom and JSON feeds, a tag's feed and an
 * article page (a reader following a link).
 */
function describeAggregatorMix(articlePath, tagFeedPath) {
  const gzip = { 'accept-encoding': 'gzip, deflate' }
  const brotli = { 'accept-encoding': 'gzip, deflate, br' }
  return [
    ...Array.from({ length: 4 }, () => ({ path: '/feed.xml', headers: gzip })),
    { path: '/feed.xml', headers: brotli },
    { path: '/feed.xml', headers: {} },
    { path: '/atom.xml', headers: gzip },
    { path: '/feed.json', headers: gzip },
    { path: tagFeedPath, headers: gzip },
    { path: articlePath, headers: brotli },
  ]
}

/** Varnish counters that tell what happened during the load: the change of each. */
function diffCounters(before, after) {
  const names = ['client_req', 'cache_hit', 'cache_hit_grace', 'cache_miss', 'backend_req', 'bans', 'sess_dropped', 'sess_fail', 'thread_queue_len']
  return Object.fromEntries(names.filter((name) => name in after).map((name) => [name, name === 'thread_queue_len' ? after[name] : after[name] - (before[name] ?? 0)]))
}

/**
 * CPU profiles at the largest size: a cold start to /feed.xml (empty and warm cache), the
 * server under load for a 304 and for an article page (what each request costs), and
 * the server while articles are edited.
 */
async function profileServer(context) {
  const { sizeDir, corpus } = context
  const profileDir = path.join(args.keep ? workDir : await mkdtemp(path.join(os.tmpdir(), 'creditline-profiles-')), 'profiles')
  await mkdir(profileDir, { recursive: true })
  const out = { folder: profileDir }
  const warmCacheDir = context.warmCacheDir ?? path.join(sizeDir, 'cache-warm')
  if (!context.warmCacheDir) {
    const primer = await startServer({ contentDir: corpus.contentDir, cacheDir: warmCacheDir, watch: false })
    for (const route of ['/feed.xml', '/feed.json', '/atom.xml']) await request(`${primer.url}${route}`)
    await primer.stop()
  }
  const summarize = async (dir, title, skipMs = 0) => {
    const [file] = (await readdir(dir)).filter((name) => name.endsWith('.cpuprofile'))
    if (!file) throw new Error(`no profile written in ${dir}`)
    const summary = summarizeProfile(JSON.parse(readFileSync(path.join(dir, file), 'utf8')), { top: 25, skipMs })
    printProfileSummary(summary, title)
    return { file: path.join(dir, file), ...summary }
  }
  for (const cache of ['empty', 'warm']) {
    const dir = path.join(profileDir, `cold-start-${cache}`)
    const cacheDir = cache === 'warm' ? warmCacheDir : await mkdtemp(path.join(sizeDir, 'cache-profile-'))
    const server = await startServer({ contentDir: corpus.contentDir, cacheDir, watch: false, nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`] })
    const firstMs = Math.round(server.firstResponse.ms)
    await server.stop()
    out[`coldStart:${cache}`] = { firstResponseMs: firstMs, ...(await summarize(dir, `cold start to first 200 /feed.xml at ${context.size} articles, ${cache} cache (${firstMs} ms with the profiler on)`)) }
  }
  const article = selectNewest(corpus.articles, 1)[0]
  for (const [name, route, headers, status] of [
    ['load-304', '/feed.xml', undefined, 304],
    ['load-article', `/articles/${article.slug}`, { 'accept-encoding': 'br' }, 200],
  ]) {
    const dir = path.join(profileDir, name)
    const server = await startServer({ contentDir: corpus.contentDir, cacheDir: warmCacheDir, watch: false, nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`] })
    const etag = (await request(`${server.url}/feed.xml`)).headers.etag
    await request(`${server.url}${route}`, { headers: headers ?? {} })
    // The profile starts with the process; what came before the load is left out of the summary.
    const loadStartMs = performance.now() - server.startedAt
    const load = await runLoad(`${server.url}${route}`, { headers: headers ?? { 'if-none-match': etag }, status }, server.pid)
    await server.stop()
    out[name] = { rps: load.rps, ...(await summarize(dir, `server under load: ${route} ${status} (${load.rps} req/s with the profiler on)`, loadStartMs)) }
  }
  {
    const dir = path.join(profileDir, 'edits')
    const server = await startServer({ contentDir: corpus.contentDir, cacheDir: warmCacheDir, watch: true, nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`] })
    const editsStartMs = performance.now() - server.startedAt
    const edits = await measureEdits(server, corpus, Math.min(options.edits, 20))
    await server.stop()
    out.edits = { p50Ms: edits.p50Ms, ...(await summarize(dir, `server during ${edits.samples.length} edits (p50 ${edits.p50Ms} ms with the profiler on; includes the 150 ms pauses between edits as idle)`, editsStartMs)) }
  }
  log(`profiles kept in ${profileDir} (open them in Chrome DevTools › Performance, or: node bench/lib/profile-summary.mjs FILE)`)
  return out
}

// ---------------------------------------------------------------------------- helpers

async function attempt(name, run) {
  try {
    return await run()
  } catch (error) {
    log(`${name} FAILED: ${error.stack ?? error}`)
    return { error: String(error.message ?? error) }
  }
}

function serverEnv({ contentDir, cacheDir, watch, port, purgeUrl }) {
  return {
    ...(purgeUrl ? { CACHE_PURGE_URLS: purgeUrl } : {}),
    PORT: String(port),
    HOST: '127.0.0.1',
    CONTENT_DIR: contentDir,
    BASE_URL: baseUrl,
    CACHE_DIR: cacheDir,
    CREDITLINE_CONFIG: configFile,
    WATCH: watch ? '1' : '0',
    LOG_FORMAT: 'silent',
    NODE_ENV: 'production',
  }
}

/**
 * Spawn `node dist/bundle/server.js` and wait for the first 200 of `waitFor`, timed from the spawn.
 * With `purgeUrl`, it purges that cache on each content change (CACHE_PURGE_URLS).
 */
async function startServer({ contentDir, cacheDir, watch, waitFor = '/feed.xml', nodeArgs = [], purgeUrl }) {
  const port = await findFreePort()
  const url = `http://127.0.0.1:${port}`
  const server = spawnNode([...nodeArgs, serverScript], { cwd: repoDir, env: serverEnv({ contentDir, cacheDir, watch, port, purgeUrl }) })
  try {
    const firstResponse = await waitForStatus(`${url}${waitFor}`, { since: server.startedAt, process: server })
    // CPU time (all the process's threads, GC helpers included) varies far less than wall time with other work on the machine.
    firstResponse.cpuMs = readCpuSeconds(server.pid) * 1000
    return { ...server, url, port, firstResponse }
  } catch (error) {
    await server.stop()
    throw error
  }
}

async function fetchEtag(url, agent) {
  const response = await request(url, { agent })
  if (response.status !== 200 || !response.headers.etag) throw new Error(`${url} answered ${response.status} without an ETag`)
  return { etag: response.headers.etag }
}

/** Every current feed: the site's, each tag's and each author's, in the three formats. */
async function listEveryFeed(corpus) {
  const { slugifyName } = await import(pathToFileURL(path.join(repoDir, 'dist', 'content', 'slugify-name.js')).href)
  const prefixes = new Set([''])
  for (const article of corpus.articles) {
    if (article.draft) continue
    for (const tag of article.tags) prefixes.add(`/tags/${encodeURIComponent(slugifyName(tag))}`)
    for (const author of article.authors.length > 0 ? article.authors : ['La rédaction']) prefixes.add(`/authors/${encodeURIComponent(slugifyName(author))}`)
  }
  return [...prefixes].flatMap((prefix) => ['feed.xml', 'atom.xml', 'feed.json'].map((file) => `${prefix}/${file}`))
}

/** One autocannon run in its own process (1 s warm-up, then `duration`), with the server's CPU use meanwhile. */
async function runLoad(url, testCase, serverPid) {
  const headerArgs = Object.entries(testCase.headers).flatMap(([name, value]) => ['-H', `${name}=${value}`])
  const cpuBefore = readCpuSeconds(serverPid)
  const started = performance.now()
  const cannon = spawnNode([autocannonScript, '-j', '-n', '-c', String(options.connections), '-d', String(options.duration), '-W', '[', '-c', String(options.connections), '-d', '1', ']', ...headerArgs, url], { cwd: repoDir })
  const { code } = await cannon.exited
  const seconds = (performance.now() - started) / 1000
  const cpu = readCpuSeconds(serverPid) - cpuBefore
  // autocannon prints the warm-up's result and then the run's, one JSON object per line.
  const lines = cannon.output().trim().split('\n').filter((line) => line.startsWith('{'))
  if (code !== 0 || lines.length === 0) throw new Error(`autocannon failed on ${url}:\n${cannon.output().slice(-2000)}`)
  const report = JSON.parse(lines.at(-1))
  const statuses = Object.fromEntries(Object.entries(report.statusCodeStats ?? {}).map(([status, { count }]) => [status, count]))
  const unexpected = Object.entries(statuses).filter(([status]) => Number(status) !== testCase.status)
  if (report.errors > 0 || report.timeouts > 0 || unexpected.length > 0) {
    log(`WARNING ${url}: errors ${report.errors}, timeouts ${report.timeouts}, statuses ${JSON.stringify(statuses)} (expected only ${testCase.status})`)
  }
  return {
    rps: Math.round(report.requests.total / report.duration),
    p50Ms: report.latency.p50,
    p99Ms: report.latency.p99,
    statuses,
    errors: report.errors + report.timeouts,
    serverCpuPercent: Math.round((100 * cpu) / seconds),
    // CPU per request is the efficiency measure least disturbed by other work on the machine.
    serverCpuUsPerRequest: Math.round((1e6 * cpu) / Math.max(1, report.requests.total + (report.warmup?.requests?.total ?? 0))),
  }
}

async function countFiles(dir) {
  let count = 0
  let bytes = 0
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    count++
    bytes += (await stat(path.join(entry.parentPath, entry.name))).size
  }
  return { count, bytes }
}

function evaluateTargets(results) {
  const at = results.sizes[targetSize]
  const targets = []
  const add = (name, value, unit, limit, better, cpuMs) => {
    const measured = value !== undefined && value !== null && Number.isFinite(value)
    targets.push({ name, value: measured ? value : null, cpuMs: cpuMs ?? null, unit, target: `${better === 'lower' ? '≤' : '≥'} ${limit}${unit === 'ratio' ? '' : ` ${unit}`}`, verdict: !measured ? 'n/a' : (better === 'lower' ? value <= limit : value >= limit) ? 'PASS' : 'MISS' })
  }
  const cold = (key) => at?.coldStart?.[key]
  add('cold start 10k → /feed.xml, empty cache', cold('/feed.xml:empty')?.medianMs, 'ms', 1300, 'lower', cold('/feed.xml:empty')?.medianCpuMs)
  add('cold start 10k → /feed.json, empty cache', cold('/feed.json:empty')?.medianMs, 'ms', 1300, 'lower', cold('/feed.json:empty')?.medianCpuMs)
  add('cold start 10k → /feed.xml, warm cache', cold('/feed.xml:warm')?.medianMs, 'ms', 1000, 'lower', cold('/feed.xml:warm')?.medianCpuMs)
  add('cold start 10k → /feed.json, warm cache', cold('/feed.json:warm')?.medianMs, 'ms', 1000, 'lower', cold('/feed.json:warm')?.medianCpuMs)
  add('export 10k, warm cache', at?.export?.warm?.ok ? at.export.warm.ms : undefined, 'ms', 3000, 'lower', at?.export?.warm?.cpuMs)
  add('export 10k, cold cache', at?.export?.cold?.ok ? at.export.cold.ms : undefined, 'ms', 27000, 'lower', at?.export?.cold?.cpuMs)
  add('edit → new ETag p50 at 10k', at?.edit?.p50Ms, 'ms', 50, 'lower')
  add('peak memory at 10k', at?.memory?.peakMB, 'MB', 550, 'lower')
  const throughputAt10k = results.throughput?.articles === targetSize ? results.throughput : undefined
  const ratio = (name) => throughputAt10k?.cases.find((row) => row.name === name)?.ratio
  add('/feed.xml 200 br vs baseline', ratio('/feed.xml 200 br'), 'ratio', 0.8, 'higher')
  add('/feed.xml 200 identity vs baseline', ratio('/feed.xml 200 identity'), 'ratio', 0.8, 'higher')
  add('/feed.xml 304 vs baseline', ratio('/feed.xml 304'), 'ratio', 0.4, 'higher')
  add('small response (article page) vs baseline', ratio('article page 200 br'), 'ratio', 0.4, 'higher')
  const throughVarnish = results.throughCache?.cases?.find((row) => row.name === 'through Varnish')
  add('failed requests through Varnish', throughVarnish?.failed, 'requests', 0, 'lower')
  // An edit never seen counts as the poller's 10 s give-up: the target is missed, not unmeasured.
  add('edit seen through Varnish, slowest', throughVarnish && (throughVarnish.edits.missed > 0 ? 10_000 : throughVarnish.edits.seenMaxMs), 'ms', 1000, 'lower')
  return targets
}

function printReport(results) {
  const lines = ['', `Creditline bench — ${results.startedAt} — ${results.git.commit.slice(0, 10)}${results.git.dirty ? ' (src modified)' : ''} — node ${results.machine.node}, ${results.machine.cpus} CPUs — load ${results.load.atStart} → ${results.load.atEnd}`]
  const table = (header, rows) => {
    const widths = header.map((cell, index) => Math.max(String(cell).length, ...rows.map((row) => String(row[index]).length)))
    const format = (row) => `  ${row.map((cell, index) => (index === 0 ? String(cell).padEnd(widths[index]) : String(cell).padStart(widths[index]))).join('  ')}`
    lines.push(format(header), `  ${widths.map((width) => '-'.repeat(width)).join('  ')}`, ...rows.map(format))
  }
  const sizes = Object.keys(results.sizes)
  const cell = (value, unit = '') => (value === undefined || value === null ? '—' : `${value}${unit}`)
  lines.push('', 'Per corpus size (medians; ms):')
  table(
    ['measure', ...sizes.map((size) => `n=${size}`)],
    [
      ['corpus MB', ...sizes.map((size) => cell(results.sizes[size].corpus.megabytes))],
      ...['/feed.xml:empty', '/feed.json:empty', '/feed.xml:warm', '/feed.json:warm'].map((key) => [`cold start → ${key.replace(':', ', ')} cache`, ...sizes.map((size) => cell(results.sizes[size].coldStart?.[key]?.medianMs))]),
      ['  /feed.xml empty: until listening', ...sizes.map((size) => cell(results.sizes[size].coldStart?.['/feed.xml:empty']?.medianListeningMs))],
      ['  /feed.xml empty: server CPU time', ...sizes.map((size) => cell(results.sizes[size].coldStart?.['/feed.xml:empty']?.medianCpuMs))],
      ['  /feed.xml warm: server CPU time', ...sizes.map((size) => cell(results.sizes[size].coldStart?.['/feed.xml:warm']?.medianCpuMs))],
      ['export, cold cache', ...sizes.map((size) => exportCell(results.sizes[size].export, 'cold'))],
      ['export, warm cache', ...sizes.map((size) => exportCell(results.sizes[size].export, 'warm'))],
      ['  export, warm cache, one thread', ...sizes.map((size) => exportCell(results.sizes[size].export, 'warmOneThread'))],
      ['  export CPU time (cold / warm)', ...sizes.map((size) => (results.sizes[size].export?.cold?.ok ? `${results.sizes[size].export.cold.cpuMs} / ${results.sizes[size].export.warm?.cpuMs ?? '—'}` : '—'))],
      ['edit → new ETag p50', ...sizes.map((size) => cell(results.sizes[size].edit?.p50Ms))],
      ['edit → new ETag p95', ...sizes.map((size) => cell(results.sizes[size].edit?.p95Ms))],
      ['RSS after start (MB)', ...sizes.map((size) => cell(results.sizes[size].memory?.rssAfterStartMB))],
      ['RSS steady after all feeds (MB)', ...sizes.map((size) => cell(results.sizes[size].memory?.steadyRssMB))],
      ['RSS peak (MB)', ...sizes.map((size) => cell(results.sizes[size].memory?.peakMB))],
    ],
  )
  if (results.throughput) {
    lines.push('', `Throughput at n=${results.throughput.articles} (autocannon in its own process, ${results.throughput.connections} connections, best of ${results.throughput.rounds} alternating ${results.throughput.durationS} s rounds):`)
    table(
      ['case', 'bytes', 'Creditline req/s', 'p99 ms', 'CPU', 'CPU µs/req', 'baseline req/s', 'p99 ms', 'CPU µs/req', 'ratio'],
      results.throughput.cases.map((row) => [row.name, row.bytes, row.creditline.rps, row.creditline.p99Ms, `${row.creditline.serverCpuPercent} %`, row.creditline.serverCpuUsPerRequest, row.baseline.rps, row.baseline.p99Ms, row.baseline.serverCpuUsPerRequest, row.ratio]),
    )
  }
  if (results.throughCache?.skipped) lines.push('', `Through Varnish: skipped (${results.throughCache.skipped}).`)
  else if (results.throughCache?.cases) {
    const cache = results.throughCache
    lines.push('', `Through Varnish at n=${cache.articles} (${cache.connections} connections for ${cache.durationS} s, a mix of ${cache.mix.length} requests, ${cache.mix.filter((entry) => entry.path === '/feed.xml').length} of them /feed.xml; an article of /feed.xml edited every ${cache.editIntervalMs / 1000} s, timed until a client polling /feed.xml gets it):`)
    table(
      ['case', 'req/s', 'p50 ms', 'p99 ms', 'failed', 'origin requests', 'edits', 'seen p50 ms', 'seen max ms', 'within 1 s', 'CPU: load gen', 'origin', 'varnishd', 'load avg'],
      cache.cases.map((row) => [row.name, row.rps, row.p50Ms, row.p99Ms, row.failed, row.originRequests, row.edits.count, cell(row.edits.seenP50Ms), cell(row.edits.seenMaxMs), `${row.edits.withinOneSecond}/${row.edits.count}`, `${row.cpuPercent.loadGenerator} %`, `${row.cpuPercent.origin} %`, row.cpuPercent.varnish === undefined ? '—' : `${row.cpuPercent.varnish} %`, `${row.load.atStart} → ${row.load.atEnd}`]),
    )
  }
  lines.push('', 'Targets (issues 5 and 17: at 10,000 articles, and through Varnish at its size):')
  table(
    ['target', 'measured', 'goal', 'verdict', 'CPU time'],
    results.targets.map((target) => [target.name, target.value === null ? '—' : `${target.value}${target.unit === 'ratio' ? '' : ` ${target.unit}`}`, target.target, target.verdict, target.cpuMs === null ? '' : `${target.cpuMs} ms`]),
  )
  // Other work on this 2-core machine slows every measure; the baseline ratios are the least affected.
  if (Math.max(results.load.atStart, results.load.atEnd ?? 0) > 1.5) lines.push('', `NOTE: the machine was busy (load average ${results.load.atStart} → ${results.load.atEnd} on ${results.machine.cpus} CPUs): absolute times are inflated; compare ratios, or rerun on a quiet machine.`)
  console.log(lines.join('\n'))
}

function exportCell(exported, cache) {
  if (!exported) return '—'
  if (!exported.available) return 'not available'
  const run = exported[cache]
  return run?.ok ? String(run.ms) : `failed (${run?.exit})`
}

function gitInfo() {
  try {
    const git = (gitArgs) => execFileSync('git', gitArgs, { cwd: repoDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
    const commit = git(['rev-parse', 'HEAD'])
    const dirty = git(['status', '--porcelain', '--', 'src']) !== ''
    return { commit, dirty }
  } catch {
    // A copy made with `git archive` (to measure a commit while the work tree changes) has no .git.
    return { commit: env.BENCH_COMMIT ?? 'unknown', dirty: false }
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle] : Math.round((sorted[middle - 1] + sorted[middle]) / 2)
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted, p) {
  if (sorted.length === 0) return undefined
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}

function round(value, digits = 0) {
  const factor = 10 ** digits
  return Math.round(value * factor) / factor
}

function log(message) {
  console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`)
}
