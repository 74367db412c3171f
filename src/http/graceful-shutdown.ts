import type { Server } from 'node:http'
import { Server as NetServer } from 'node:net'

/** Stops a server once every response in flight has been delivered. */
export interface GracefulStop {
  stop(): Promise<void>
}

/**
 * Track the responses of `server` so that it can stop gracefully: stop accepting
 * connections, let every response in flight reach the client, then close the idle
 * connections that remain.
 *
 * Written by hand because `http.Server#close` (Node 19+) also destroys connections it
 * considers idle, and a connection counts as idle as soon as `res.end()` was called,
 * even while megabytes of the response still wait in the socket's buffer: a large feed
 * or picture would be cut short. Here a response counts until its `finish` event (every
 * byte handed to the operating system) or its `close`.
 *
 * Call it right after creating the server.
 */
export function trackResponses(server: Server): GracefulStop {
  let inFlight = 0
  let stopping = false
  let onDrained: (() => void) | undefined
  server.on('request', (_req, res) => {
    inFlight++
    // Keep-alive clients are told to go away once we are stopping.
    if (stopping) res.setHeader('Connection', 'close')
    let settled = false
    const settle = () => {
      if (settled) return
      settled = true
      inFlight--
      if (inFlight === 0) onDrained?.()
    }
    res.once('finish', settle)
    res.once('close', settle)
  })
  return {
    async stop() {
      stopping = true
      // net.Server#close only stops listening; open connections are left alone.
      NetServer.prototype.close.call(server)
      while (inFlight > 0) await new Promise<void>((resolve) => (onDrained = resolve))
      server.closeIdleConnections()
    },
  }
}
