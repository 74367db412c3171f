import { pino, type Logger } from 'pino'
import pretty from 'pino-pretty'
import type { Config } from './config.js'

export type { Logger }

/**
 * One JSON line per event in production; a readable, coloured form in development;
 * nothing under test.
 */
export function createLogger(format: Config['logFormat']): Logger {
  if (format === 'silent') return pino({ level: 'silent' })
  if (format === 'pretty') return pino({ base: undefined }, pretty({ colorize: process.stderr.isTTY, destination: 2, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' }))
  return pino({ base: undefined, timestamp: pino.stdTimeFunctions.isoTime })
}
