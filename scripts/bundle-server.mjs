// Bundle the server into dist/bundle/server.js (run by `npm run build`, after tsc;
// `node scripts/bundle-server.mjs [outdir]`).
//
// Why: at start-up Node resolves, reads and compiles several hundred module files
// (Express and its dependencies, zod, feedsmith, hast); one file does the same work in
// about a third of the time, and start-up time is what a restart costs every reader.
//
// What stays apart: the modules the server loads only on demand (remark and its plugins,
// the documentation renderer; see src/load-on-demand.ts) are bundles of their own next
// to server.js, where `require('./render-markdown.js')` finds them; so is the render worker
// (src/markdown/render-worker.ts), the file its thread starts from. Packages loaded with
// createRequire (pino-pretty, express-rate-limit, yaml) stay in node_modules. The bundle
// sits two folders below the project, as every compiled module does, so the paths it
// computes from import.meta.url (assets/, docs/) are the same.
import { build } from 'esbuild'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/**
 * Write the server bundle and its on-demand bundles to `outdir` (two levels below the
 * project, like dist/bundle).
 */
export async function bundleServer(outdir = path.join(root, 'dist', 'bundle')) {
  await build({
    absWorkingDir: root,
    entryPoints: ['src/server.ts', 'src/markdown/render-markdown.ts', 'src/markdown/render-worker.ts', 'src/pages/document-html.ts'],
    outdir,
    entryNames: '[name]',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // The on-demand bundles are loaded by file name at run time, from beside this one.
    // iconv-lite (494 kB of character-set tables, for request bodies the service never
    // reads) stays in node_modules: compiling it cost every start-up. It is a direct
    // dependency in package.json so that npm always installs it where the bundle finds it.
    // piscina stays there too: it starts its threads from its own worker.js, found by its __dirname.
    external: ['./render-markdown.js', './document-html.js', 'iconv-lite', 'piscina'],
    // zod's translations of its messages (296 kB): only `z.locales` reaches them, which
    // nothing uses; English, which the messages use, is imported apart and stays. Without
    // both, the file is 1.3 MB instead of 2.1, and a warm start at 10,000 articles took
    // about 100 ms less CPU over 14 interleaved runs.
    plugins: [
      {
        name: 'leave-out-zod-locales',
        setup(build) {
          build.onResolve({ filter: /\/locales\/index\.js$/ }, (args) => (args.importer.includes(`${path.sep}zod${path.sep}`) ? { path: 'zod-locales', namespace: 'left-out' } : undefined))
          build.onLoad({ filter: /.*/, namespace: 'left-out' }, () => ({ contents: 'export {}', loader: 'js' }))
        },
      },
    ],
    // CommonJS packages inside an ES module bundle call require() for Node's own modules.
    banner: { js: "import { createRequire as __creditlineRequire } from 'node:module';\nconst require = __creditlineRequire(import.meta.url);" },
    // Without comments and white space the file is 2.1 MB instead of 2.9, and a warm start at
    // 10,000 articles was 0.15 to 0.3 s faster over six paired runs. Names are kept, so stack
    // traces still read; the source map (node --enable-source-maps) gives the lines.
    minifyWhitespace: true,
    minifySyntax: true,
    sourcemap: 'linked',
    logLevel: 'warning',
  })
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await bundleServer(process.argv[2] === undefined ? undefined : path.resolve(process.argv[2]))
