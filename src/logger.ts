import { createRequire } from 'node:module'
import { pino, type Logger } from 'pino'
import type { Config } from './config.js'

export type { Logger }

/**
 * One JSON line per event in production; a readable, coloured form in development;
 * nothing under test.
 */
export function createLogger(format: Config['logFormat']): Logger {
  if (format === 'silent') return pino({ level: 'silent' })
  if (format === 'pretty') {
    // Only development reads pretty logs: production does not load the module.
    const pretty = createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty')
    return pino({ base: undefined }, pretty({ colorize: process.stderr.isTTY, destination: 2, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' }))
  }
  return pino({ base: undefined, timestamp: pino.stdTimeFunctions.isoTime })
}
