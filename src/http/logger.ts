/**
 * The service's pino logger. Secrets never reach a log line: every logged
 * object is walked for secret keys and card numbers at any depth
 * (log-redaction.ts), header paths are redacted by pino as well, and errors
 * are reduced to their type, code, message and stack, so fields a library
 * hangs on an error (a driver's `detail` quoting a row, a query's
 * parameters) stay out. Request bodies are never logged.
 */
import pino, { type Logger } from 'pino'

import { maskSecretsIn, REDACTED, redactSecrets } from './log-redaction.ts'

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]'
]

const MAX_CAUSES = 3

export function buildLogger (
  level: string,
  destination?: pino.DestinationStream
): Logger {
  const options: pino.LoggerOptions = {
    level,
    redact: { paths: REDACTED_PATHS, censor: REDACTED },
    formatters: {
      log: (object) => redactSecrets(object) as Record<string, unknown>
    },
    serializers: { err: serializeError }
  }

  return destination === undefined ? pino(options) : pino(options, destination)
}

export interface LoggedError {
  readonly type: string
  readonly message: string
  readonly code?: string
  readonly statusCode?: number
  readonly stack?: string
  readonly cause?: LoggedError
}

/** An error as a log line may show it: nothing but what says what failed. */
export function serializeError (error: unknown, depth = 0): LoggedError {
  if (!(error instanceof Error)) {
    return { type: typeof error, message: '[non-error value]' }
  }
  const { code, statusCode } = error as { code?: unknown, statusCode?: unknown }
  const cause = (error as { cause?: unknown }).cause

  return {
    type: error.constructor.name,
    message: maskSecretsIn(error.message),
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof statusCode === 'number' ? { statusCode } : {}),
    ...(error.stack === undefined
      ? {}
      : { stack: maskSecretsIn(error.stack) }),
    ...(cause === undefined || depth >= MAX_CAUSES
      ? {}
      : { cause: serializeError(cause, depth + 1) })
  }
}
