/**
 * Unguessable tokens and ids from the operating system's CSPRNG (node's
 * crypto.randomBytes and crypto.randomUUID, RFC 9562 version 4).
 */
import { randomBytes, randomUUID } from 'node:crypto'

/** 256 bits: enough for any bearer secret. */
export const DEFAULT_TOKEN_BYTES = 32

/** `bytes` random bytes as base64url text without padding (RFC 4648 §5),
 * safe in URLs, headers and file names. */
export function randomToken (bytes = DEFAULT_TOKEN_BYTES): string {
  if (!Number.isInteger(bytes) || bytes < 1) {
    throw new RangeError('a token needs a positive whole number of bytes')
  }

  return randomBytes(bytes).toString('base64url')
}

/** A random UUID (version 4) for event, token and entity ids. */
export function randomId (): string {
  return randomUUID()
}
