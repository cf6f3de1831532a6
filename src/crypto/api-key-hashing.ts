/**
 * Integration API keys: `cloudretail_live_sk_` or `cloudretail_test_sk_`
 * followed by 64 characters drawn uniformly from [A-Za-z0-9] by the
 * operating system's CSPRNG, and the keyed hash that stands in for a key
 * everywhere it is stored.
 *
 * Why HMAC-SHA-256 (RFC 2104) and not bcrypt: 64 characters of a 62-letter
 * alphabet carry 64 × log2(62) ≈ 381 bits, so nobody can guess a key, and a
 * slow hash, which exists to make guessing low-entropy passwords expensive,
 * would add nothing but ~0.3 s to every integration request. A salted slow
 * hash also cannot be looked up by value, while an HMAC can: the hash is the
 * index that finds a presented key. The HMAC is keyed (derived from the
 * server's blind-index key under its own label), so a copy of the database
 * or of the event log alone does not even let anyone confirm a leaked key.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

export const API_KEY_ENVIRONMENTS = ['live', 'test'] as const
export type ApiKeyEnvironment = typeof API_KEY_ENVIRONMENTS[number]

export const API_KEY_PREFIXES: Readonly<Record<ApiKeyEnvironment, string>> = {
  live: 'cloudretail_live_sk_',
  test: 'cloudretail_test_sk_'
}

/** Random characters after the prefix. */
export const API_KEY_RANDOM_LENGTH = 64

const ALPHABET =
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
// The largest multiple of 62 that fits in a byte: bytes at or above it are
// thrown away, so every character is exactly equally likely (no modulo
// bias toward the first 256 mod 62 = 8 letters).
const UNBIASED_BYTE_LIMIT = 256 - (256 % ALPHABET.length)
const KEY_PATTERN = /^cloudretail_(live|test)_sk_[A-Za-z0-9]{64}$/
const HASH_LABEL = 'cloudretail/api-key-hash/v1'

/** A new key for one environment, as shown (once) to the admin. */
export function generateApiKey (environment: ApiKeyEnvironment): string {
  return API_KEY_PREFIXES[environment] + randomAlphanumeric(API_KEY_RANDOM_LENGTH)
}

/** `length` characters of [A-Za-z0-9], uniformly distributed. */
export function randomAlphanumeric (length: number): string {
  let text = ''
  while (text.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < UNBIASED_BYTE_LIMIT && text.length < length) {
        text += ALPHABET[byte % ALPHABET.length]
      }
    }
  }

  return text
}

/** Whether text has the shape of a key (says nothing of whether it exists). */
export function isWellFormedApiKey (text: string): boolean {
  return KEY_PATTERN.test(text)
}

/** The environment a well-formed key names, from its prefix. */
export function environmentOf (apiKey: string): ApiKeyEnvironment | undefined {
  return KEY_PATTERN.exec(apiKey)?.[1] as ApiKeyEnvironment | undefined
}

/**
 * The lookup hash of a key: 64 hex characters of HMAC-SHA-256 under a key
 * derived from `serverKey` for this purpose only.
 */
export function hashApiKey (serverKey: Buffer, apiKey: string): string {
  const hashKey = createHmac('sha256', serverKey)
    .update(HASH_LABEL, 'utf8')
    .digest()

  return createHmac('sha256', hashKey).update(apiKey, 'utf8').digest('hex')
}

/** Compares two lookup hashes in time independent of where they differ. */
export function isSameApiKeyHash (a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8')
  const right = Buffer.from(b, 'utf8')

  return left.length === right.length && timingSafeEqual(left, right)
}
