// `npm start`: build only when the build is older than what it is built from. A full build
// (tsc, then the bundle) takes about 11 s, and a restart should not pay it for nothing.
// Written by hand: `tsc --build` would still bundle every time, and make-like tools are one
// more dependency for one comparison of modification times.
import { spawnSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const outputs = ['dist/bundle/server.js', 'dist/cli/main.js']
const inputs = ['src', 'scripts', 'package.json', 'package-lock.json', 'tsconfig.json']

/** The newest modification time of a file, or of the files below a folder; 0 when missing. */
function newestChange(entry) {
  let info
  try {
    info = statSync(entry)
  } catch {
    return 0
  }
  if (!info.isDirectory()) return info.mtimeMs
  return readdirSync(entry).reduce((newest, name) => Math.max(newest, newestChange(path.join(entry, name))), info.mtimeMs)
}

const built = Math.min(...outputs.map((output) => newestChange(path.join(root, output)) || -Infinity))
const changed = Math.max(...inputs.map((input) => newestChange(path.join(root, input))))
if (built >= changed) {
  console.error('creditline: the build is up to date (npm run build rebuilds it)')
} else {
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' })
  process.exitCode = build.status ?? 1
}
