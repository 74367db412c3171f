import { readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'

/**
 * Summarise a V8 `.cpuprofile` (as written by `node --cpu-prof`): where the time went,
 * by function (self and inclusive) and by package.
 *
 * @param {{ nodes: Array<{ id: number, callFrame: { functionName: string, url: string, lineNumber: number }, children?: number[] }>, samples: number[], timeDeltas: number[], startTime: number, endTime: number }} profile
 * @param {{ top?: number, skipMs?: number }} [options] `skipMs`: leave out the first milliseconds of the profile
 */
export function summarizeProfile(profile, { top = 25, skipMs = 0 } = {}) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const selfUs = new Map()
  let elapsedUs = 0
  let totalUs = 0
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0
    elapsedUs += delta
    // Samples before `skipMs` (say, the start-up before a load test) are left out.
    if (elapsedUs < skipMs * 1000) return
    selfUs.set(id, (selfUs.get(id) ?? 0) + delta)
    totalUs += delta
  })
  const keyOf = (node) => `${node.callFrame.functionName}\u0000${node.callFrame.url}\u0000${node.callFrame.lineNumber}`

  const self = new Map()
  const packages = new Map()
  // Sampled lines per function (V8's positionTicks), to point at the statement that costs; they cover the whole profile.
  const lineTicks = new Map()
  for (const node of profile.nodes) {
    const ticks = lineTicks.get(keyOf(node)) ?? new Map()
    for (const { line, ticks: count } of node.positionTicks ?? []) ticks.set(line, (ticks.get(line) ?? 0) + count)
    lineTicks.set(keyOf(node), ticks)
    const us = selfUs.get(node.id) ?? 0
    if (us === 0) continue
    self.set(keyOf(node), (self.get(keyOf(node)) ?? 0) + us)
    const where = packageOf(node.callFrame)
    packages.set(where, (packages.get(where) ?? 0) + us)
  }

  // Inclusive time counts a function once per stack even when it recurses: only its outermost frame adds.
  const inclusiveOf = new Map()
  const computeInclusive = (node) => {
    let us = selfUs.get(node.id) ?? 0
    for (const child of node.children ?? []) us += computeInclusive(byId.get(child))
    inclusiveOf.set(node.id, us)
    return us
  }
  const root = profile.nodes[0]
  computeInclusive(root)
  const inclusive = new Map()
  const active = new Map()
  const walk = (node) => {
    const key = keyOf(node)
    const depth = active.get(key) ?? 0
    if (depth === 0) inclusive.set(key, (inclusive.get(key) ?? 0) + inclusiveOf.get(node.id))
    active.set(key, depth + 1)
    for (const child of node.children ?? []) walk(byId.get(child))
    active.set(key, depth)
  }
  walk(root)

  const frames = new Map(profile.nodes.map((node) => [keyOf(node), node.callFrame]))
  const describe = ([key, us]) => {
    const frame = frames.get(key)
    const ticks = [...(lineTicks.get(key) ?? [])].sort((a, b) => b[1] - a[1])
    const sum = ticks.reduce((total, [, count]) => total + count, 0)
    const hotLines = frame.url === '' ? [] : ticks.slice(0, 3).map(([line, count]) => `${line} (${Math.round((100 * count) / sum)} %)`)
    return { function: frame.functionName || '(anonymous)', location: locate(frame), ms: round(us / 1000), percent: round((100 * us) / totalUs), hotLines }
  }
  const sorted = (map) => [...map].sort((a, b) => b[1] - a[1])
  return {
    totalMs: round(totalUs / 1000),
    self: sorted(self).slice(0, top).map(describe),
    inclusiveProject: sorted(inclusive)
      .filter(([key]) => frames.get(key).url.includes('/dist/'))
      .slice(0, top)
      .map(describe),
    packages: sorted(packages)
      .slice(0, top)
      .map(([name, us]) => ({ package: name, ms: round(us / 1000), percent: round((100 * us) / totalUs) })),
  }
}

/** Print a summary as three plain tables. */
export function printProfileSummary(summary, title) {
  const lines = [`${title} — profile of ${summary.totalMs} ms`]
  lines.push('  top self time:')
  for (const row of summary.self) lines.push(`    ${fmt(row.ms)} ms ${fmt(row.percent, 5)} %  ${row.function}  ${row.location}${row.hotLines.length > 0 ? `  hot lines ${row.hotLines.join(', ')}` : ''}`)
  lines.push('  self time by package or module:')
  for (const row of summary.packages) lines.push(`    ${fmt(row.ms)} ms ${fmt(row.percent, 5)} %  ${row.package}`)
  lines.push("  inclusive time of the project's functions (dist/):")
  for (const row of summary.inclusiveProject) lines.push(`    ${fmt(row.ms)} ms ${fmt(row.percent, 5)} %  ${row.function}  ${row.location}`)
  console.log(lines.join('\n'))
}

function packageOf(frame) {
  const { url, functionName } = frame
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)'
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (modules) return modules[1]
  const project = /\/dist\/(.+)$/.exec(url)
  if (project) return `dist/${project[1]}`
  if (url.startsWith('node:')) return url.split('/')[0] === 'node:internal' ? `node:${url.split('/')[1] ?? 'internal'}` : url
  return url
}

function locate(frame) {
  const { url, lineNumber } = frame
  if (url === '') return ''
  const short = url.replace(/^file:\/\/.*?\/node_modules\//, '').replace(/^file:\/\/.*?\/dist\//, 'dist/')
  return `${short}:${lineNumber + 1}`
}

function round(value) {
  return Math.round(value * 10) / 10
}

function fmt(value, width = 8) {
  return String(value).padStart(width)
}

// Run directly on a file: node bench/lib/profile-summary.mjs PROFILE.cpuprofile [--top 30]
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '25' } } })
  for (const file of positionals) printProfileSummary(summarizeProfile(JSON.parse(readFileSync(file, 'utf8')), { top: Number(values.top) }), file)
}
