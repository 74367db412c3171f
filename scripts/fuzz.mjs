// The property tests of test/properties with many more cases than `npm test` runs
// (`npm run fuzz -- --runs 100000`): the cases are shared among the properties by the
// weights in site-properties.test.ts. Prints the cases, the properties that failed (with
// fast-check's counterexample above) and the time taken; exit code 1 on a failure.
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const { values } = parseArgs({ options: { runs: { type: 'string', default: '100000' } } })
const runs = Number(values.runs)
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`fuzz: --runs expects a whole number from 1, got ${JSON.stringify(values.runs)}`)
  process.exit(2)
}

const dir = await mkdtemp(path.join(tmpdir(), 'creditline-fuzz-'))
const report = path.join(dir, 'report.json')
const started = performance.now()
const vitest = path.join(root, 'node_modules', 'vitest', 'vitest.mjs')
const child = spawn(process.execPath, [vitest, 'run', 'test/properties', '--testTimeout=0', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`], {
  cwd: root,
  env: { ...process.env, CREDITLINE_FUZZ_RUNS: String(runs) },
  stdio: 'inherit',
})
const code = await new Promise((resolve) => child.once('exit', resolve))
const seconds = (performance.now() - started) / 1000
let results = { numTotalTests: 0, numFailedTests: 0 }
try {
  results = JSON.parse(await readFile(report, 'utf8'))
} catch {
  // vitest did not get to write it: the exit code says why.
}
await rm(dir, { recursive: true, force: true })
console.log(`fuzz: ${runs} cases over ${results.numTotalTests} properties, ${results.numFailedTests} failing, ${seconds.toFixed(0)} s`)
process.exit(code === 0 ? 0 : 1)
