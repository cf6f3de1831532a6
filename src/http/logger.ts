/**
 * The service's pino logger. Secrets never reach a log line: redaction
 * covers credentials in headers and in bodies, at any of the depths our
 * payloads use. Each line is a short fixed phrase with data in fields.
 */
import pino, { type Logger } from 'pino'

const SECRET_KEYS = ['password', 'currentPassword', 'newPassword', 'token',
  'totp', 'code', 'backupCode', 'apiKey', 'secret', 'cardNumber', 'cvv',
  'cvc', 'pan']

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  ...SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`,
    `*.*.*.${key}`])
]

export function buildLogger (
  level: string,
  destination?: pino.DestinationStream
): Logger {
  const options = {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' }
  }

  return destination === undefined ? pino(options) : pino(options, destination)
}
