import { pino, type Logger } from 'pino'
import type { Config } from './config.js'
import { loadOnDemand } from './load-on-demand.js'

export type { Logger }

// Only development reads pretty logs: production does not load the module.
const loadPretty = loadOnDemand<typeof import('pino-pretty')>('pino-pretty', import.meta.url)

/**
 * One JSON line per event in production; a readable, coloured form in development;
 * nothing under test.
 */
export function createLogger(format: Config['logFormat']): Logger {
  if (format === 'silent') return pino({ level: 'silent' })
  if (format === 'pretty') {
    const pretty = loadPretty()
    return pino({ base: undefined }, pretty({ colorize: process.stderr.isTTY, destination: 2, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' }))
  }
  return pino({ base: undefined, timestamp: pino.stdTimeFunctions.isoTime })
}
