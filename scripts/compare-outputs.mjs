#!/usr/bin/env node
// Usage: node scripts/compare-outputs.mjs <revA> <revB> [--articles 1000] [--keep]
//
// Whether two revisions publish the same bytes: for the bundled content and for a generated
// corpus (bench/lib/generate-corpus.mjs), each revision, checked out in a temporary
// worktree, (1) exports the static site (every page, feed, archive, JSON Feed page and
// media file, with headers.json, _headers, _redirects and nginx.conf) and (2) runs its
// server, which is asked for every exported path (and a few more) plainly and with
// `Accept-Encoding: br, gzip`. Every file (bytes and time) and every response (status,
// headers but Date, bytes) must be the same. Exits 1 on any difference, listing them.
// Not part of npm test: it takes about a minute per thousand articles.
import { execFileSync, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const { values, positionals } = parseArgs({ allowPositionals: true, options: { articles: { type: 'string', default: '1000' }, keep: { type: 'boolean', default: false } } })
if (positionals.length !== 2) {
  console.error('usage: node scripts/compare-outputs.mjs <revA> <revB> [--articles 1000] [--keep]')
  process.exit(2)
}
const revisions = positionals.map((rev) => ({ rev, commit: git(['rev-parse', '--verify', `${rev}^{commit}`]).trim() }))
const baseUrl = 'https://news.example'
// Every input file gets this time, so both revisions read the same Last-Modified.
const fixedTime = new Date('2026-11-01T08:00:00Z')
const work = mkdtempSync(path.join(tmpdir(), 'creditline-compare-'))

try {
  const contents = await prepareContents(Number(values.articles))
  const trees = revisions.map(({ rev, commit }, index) => checkout(commit, path.join(work, `rev-${index}`), rev))
  let differences = 0
  for (const content of contents) {
    const outputs = []
    for (const [index, tree] of trees.entries()) {
      const out = path.join(work, 'out', content.name, String(index))
      const startedAt = Date.now()
      runExport(tree, content, out)
      const responses = await crawl(tree, content, listPaths(out))
      outputs.push({ files: readTree(out, startedAt), responses })
    }
    const [a, b] = outputs
    const fileDiffs = compareMaps(a.files, b.files)
    const responseDiffs = compareMaps(a.responses, b.responses)
    differences += fileDiffs.length + responseDiffs.length
    console.log(`${content.name}: ${a.files.size} exported files and ${a.responses.size} responses compared; ${fileDiffs.length + responseDiffs.length} differences`)
    for (const line of [...fileDiffs.map((d) => `  file ${d}`), ...responseDiffs.map((d) => `  response ${d}`)].slice(0, 50)) console.log(line)
  }
  console.log(`${revisions[0].rev} (${revisions[0].commit.slice(0, 7)}) vs ${revisions[1].rev} (${revisions[1].commit.slice(0, 7)}): ${differences === 0 ? 'identical' : `${differences} differences`}`)
  process.exitCode = differences === 0 ? 0 : 1
} finally {
  for (const index of [0, 1]) {
    const tree = path.join(work, `rev-${index}`)
    if (existsSync(tree)) git(['worktree', 'remove', '--force', tree])
  }
  if (values.keep) console.log(`kept ${work}`)
  else rmSync(work, { recursive: true, force: true })
}

function git(args) {
  return execFileSync('git', args, { cwd: repo, encoding: 'utf8' })
}

/** The bundled content and a generated corpus, each with the repository's configuration file, every file at `fixedTime`. */
async function prepareContents(articles) {
  const bundled = path.join(work, 'content', 'bundled')
  cpSync(path.join(repo, 'content'), bundled, { recursive: true })
  const corpus = path.join(work, 'content', 'corpus')
  const { generateCorpus } = await import(pathToFileURL(path.join(repo, 'bench/lib/generate-corpus.mjs')).href)
  await generateCorpus({ contentDir: corpus, count: articles })
  const config = path.join(work, 'creditline.config.json')
  cpSync(path.join(repo, 'creditline.config.json'), config)
  for (const dir of [bundled, corpus]) touchTree(dir)
  return [
    { name: 'bundled', dir: bundled, config },
    { name: `corpus-${articles}`, dir: corpus, config },
  ]
}

function touchTree(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) touchTree(full)
    utimesSync(full, fixedTime, fixedTime)
  }
}

/** A worktree of `commit`, sharing this checkout's node_modules when the lock files agree. */
function checkout(commit, tree, rev) {
  git(['worktree', 'add', '--detach', tree, commit])
  const lock = (root) => readFileSync(path.join(root, 'package-lock.json'), 'utf8')
  if (lock(tree) === lock(repo)) symlinkSync(path.join(repo, 'node_modules'), path.join(tree, 'node_modules'), 'dir')
  else execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: tree, stdio: 'ignore' })
  console.log(`${rev}: ${commit.slice(0, 7)} in ${tree}`)
  return tree
}

function environment(content, extra = {}) {
  return { ...process.env, NODE_ENV: 'development', CONTENT_DIR: content.dir, CREDITLINE_CONFIG: content.config, CACHE_DIR: '', LOG_FORMAT: 'silent', WATCH: 'false', BASE_URL: baseUrl, ...extra }
}

function runExport(tree, content, out) {
  execFileSync(path.join(tree, 'node_modules/.bin/tsx'), ['src/cli/main.ts', 'export', '--out', out], { cwd: tree, env: environment(content), stdio: ['ignore', 'ignore', 'pipe'] })
}

/** Every URL path the export wrote, the earlier addresses it redirects, and a few the export leaves out. */
function listPaths(out) {
  const manifest = JSON.parse(readFileSync(path.join(out, 'headers.json'), 'utf8'))
  const moved = readFileSync(path.join(out, '_redirects'), 'utf8').split('\n').filter((line) => line.endsWith(' 301')).map((line) => line.split(' ')[0])
  const extra = ['/status', '/healthz', '/about', '/favicon.ico', '/icon.png', '/icon.svg', '/no-such-page', '/tags/no-such-tag', '/articles/no-such-article', '/media/no-such.png']
  return [...new Set([...Object.keys(manifest.paths), ...moved, ...extra])]
}

/**
 * Files under `root` by relative path: their sha256, and their modification time when the
 * export set it (a file's time is its Last-Modified for some hosts); others bear the time of the run.
 */
function readTree(root, startedAt, prefix = '', files = new Map()) {
  for (const entry of readdirSync(path.join(root, prefix), { withFileTypes: true })) {
    const relative = path.posix.join(prefix, entry.name)
    if (entry.isDirectory()) readTree(root, startedAt, relative, files)
    else {
      const full = path.join(root, relative)
      const { mtime } = statSync(full)
      files.set(relative, `${hash(readFileSync(full))} mtime=${mtime.getTime() < startedAt ? mtime.toISOString() : 'when written'}`)
    }
  }
  return files
}

/** The server of `tree` on a free port, asked for each path twice (plain, and br/gzip); each answer as one string. */
async function crawl(tree, content, urlPaths) {
  const port = await findFreePort()
  const server = spawn(path.join(tree, 'node_modules/.bin/tsx'), ['src/server.ts'], { cwd: tree, env: environment(content, { PORT: String(port), HOST: '127.0.0.1' }), stdio: ['ignore', 'ignore', 'inherit'] })
  const exited = new Promise((resolve) => server.once('exit', resolve))
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await get(port, '/healthz', {})
        break
      } catch (error) {
        if (attempt > 600 || server.exitCode !== null) throw new Error(`server of ${tree} did not start: ${error.message}`)
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    }
    const responses = new Map()
    for (const urlPath of urlPaths) {
      for (const [name, headers] of [['identity', {}], ['br,gzip', { 'accept-encoding': 'br, gzip' }]]) {
        const { status, rawHeaders, body } = await get(port, urlPath, headers)
        const kept = []
        for (let index = 0; index < rawHeaders.length; index += 2) {
          if (rawHeaders[index].toLowerCase() !== 'date') kept.push(`${rawHeaders[index]}: ${rawHeaders[index + 1]}`)
        }
        responses.set(`${urlPath} [${name}]`, `${status} ${hash(body)} {${kept.join(' | ')}}`)
      }
    }
    return responses
  } finally {
    server.kill('SIGTERM')
    await exited
  }
}

function get(port, urlPath, headers) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: urlPath, headers }, (res) => {
      const chunks = []
      res.on('data', (chunk) => chunks.push(chunk))
      res.on('end', () => resolve({ status: res.statusCode, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks) }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })
}

function findFreePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address()
      probe.close(() => resolve(port))
    })
  })
}

function hash(bytes) {
  return createHash('sha256').update(bytes).digest('hex')
}

/** Lines naming each key missing on one side or whose value differs. */
function compareMaps(a, b) {
  const lines = []
  for (const [key, value] of a) {
    if (!b.has(key)) lines.push(`${key}: only in A`)
    else if (b.get(key) !== value) lines.push(`${key}:\n    A ${value}\n    B ${b.get(key)}`)
  }
  for (const key of b.keys()) if (!a.has(key)) lines.push(`${key}: only in B`)
  return lines
}
