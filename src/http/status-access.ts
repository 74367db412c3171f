import { createHash, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { BlockList, isIPv6 } from 'node:net'

const loopback = new BlockList()
loopback.addSubnet('127.0.0.0', 8, 'ipv4')
loopback.addAddress('::1', 'ipv6')

// Headers a reverse proxy adds: a request that carries one came through a proxy, whose
// own connection from loopback says nothing about the client behind it.
const forwardingHeaders = ['forwarded', 'x-forwarded-for', 'x-real-ip']

/**
 * Whether a request may read `GET /status`, which names drafts' files and their
 * problems. With a token, only a request that sends it (`Authorization: Bearer <token>`);
 * without one, only a client on this machine that reached the service directly.
 *
 * @param token the `STATUS_TOKEN` setting
 */
export function maySeeStatus(req: IncomingMessage, token: string | undefined): boolean {
  if (token !== undefined) return hasBearerToken(req.headers.authorization, token)
  return isLoopbackAddress(req.socket.remoteAddress) && forwardingHeaders.every((name) => req.headers[name] === undefined)
}

/** Whether an address is on this machine (127.0.0.0/8, ::1, or either as IPv4-mapped IPv6). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined || address === '') return false
  return loopback.check(address, isIPv6(address) ? 'ipv6' : 'ipv4')
}

function hasBearerToken(authorization: string | undefined, token: string): boolean {
  const match = /^Bearer +(\S+) *$/i.exec(authorization ?? '')
  if (!match) return false
  // Digests have one length, so the comparison takes the same time whatever was sent.
  return timingSafeEqual(digestOf(match[1]!), digestOf(token))
}

function digestOf(text: string): Buffer {
  return createHash('sha256').update(text).digest()
}
