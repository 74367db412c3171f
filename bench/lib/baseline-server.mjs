import { readFileSync } from 'node:fs'
import http from 'node:http'

/**
 * The throughput baseline: a plain `node:http` server that answers the bytes Creditline
 * served, held in memory, with a fixed ETag and a 304 when `If-None-Match` carries it.
 * No framework, no negotiation beyond "does Accept-Encoding mention br", no hashing: the
 * fastest a Node.js process on this machine can answer the same responses.
 *
 * Usage: node bench/lib/baseline-server.mjs ROUTES.json PORT
 * where ROUTES.json maps a path to { contentType, etag, identity: file, br?: file }.
 * Prints "listening" once it accepts connections.
 */
const [routesFile, portText] = process.argv.slice(2)
const routes = new Map()
for (const [route, spec] of Object.entries(JSON.parse(readFileSync(routesFile, 'utf8')))) {
  routes.set(route, {
    contentType: spec.contentType,
    etag: spec.etag,
    identity: readFileSync(spec.identity),
    br: spec.br ? readFileSync(spec.br) : undefined,
  })
}

const server = http.createServer((req, res) => {
  const route = routes.get(req.url)
  if (!route) {
    res.writeHead(404).end()
    return
  }
  if (req.headers['if-none-match'] === route.etag) {
    res.writeHead(304, { ETag: route.etag, 'Cache-Control': 'public, max-age=300' }).end()
    return
  }
  const br = route.br !== undefined && (req.headers['accept-encoding'] ?? '').includes('br')
  const body = br ? route.br : route.identity
  const headers = { 'Content-Type': route.contentType, ETag: route.etag, 'Cache-Control': 'public, max-age=300', 'Content-Length': body.length, Vary: 'Accept-Encoding' }
  if (br) headers['Content-Encoding'] = 'br'
  res.writeHead(200, headers).end(body)
})
server.listen(Number(portText), '127.0.0.1', () => console.log('listening'))
process.once('SIGTERM', () => {
  server.close(() => process.exit(0))
  server.closeAllConnections()
})
