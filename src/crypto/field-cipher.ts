/**
 * AES-256-GCM authenticated encryption (NIST SP 800-38D): a fresh random
 * 96-bit IV per message, a full 128-bit tag, and additional authenticated
 * data that names where the ciphertext belongs, so it cannot be moved.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'

import type { EncryptedValue } from './encrypted-value.ts'

export const AES_256_KEY_BYTES = 32
/** 96 bits: the IV length SP 800-38D recommends (section 8.2.2). */
export const GCM_IV_BYTES = 12
export const GCM_TAG_BYTES = 16

const ALGORITHM = 'aes-256-gcm'

/** The ciphertext, IV, tag or AAD does not match: tampered, moved, or the
 * wrong key. Deliberately says nothing about which. */
export class DecryptError extends Error {
  override readonly name = 'DecryptError'
  readonly code = 'CR_ERR_CRYPTO_DECRYPT'
}

export class CipherKeyError extends Error {
  override readonly name = 'CipherKeyError'
  readonly code = 'CR_ERR_CRYPTO_KEY_LENGTH'
}

/**
 * Encrypts a JSON-serialisable value for one data subject.
 *
 * @example
 * const value = encryptValue(key, 'user-42', { city: 'Oslo' },
 *   'user-42|data.address')
 * decryptValue(key, value, 'user-42|data.address') // { city: 'Oslo' }
 */
export function encryptValue (
  key: Buffer,
  subject: string,
  plaintext: unknown,
  aad: string
): EncryptedValue {
  const json = JSON.stringify(plaintext)
  if (json === undefined) {
    throw new TypeError('only JSON-serialisable values can be encrypted')
  }

  const sealed = seal(key, Buffer.from(json, 'utf8'), aad)

  return {
    $enc: ALGORITHM,
    subject,
    iv: sealed.iv.toString('base64'),
    tag: sealed.tag.toString('base64'),
    data: sealed.data.toString('base64')
  }
}

/** Decrypts and parses a value; throws DecryptError unless it is intact and
 * the AAD is the one it was sealed with. */
export function decryptValue (
  key: Buffer,
  value: EncryptedValue,
  aad: string
): unknown {
  if (!hasStringParts(value)) {
    throw new DecryptError('encrypted value is malformed')
  }

  const plaintext = open(key, {
    iv: Buffer.from(value.iv, 'base64'),
    tag: Buffer.from(value.tag, 'base64'),
    data: Buffer.from(value.data, 'base64')
  }, aad)

  return JSON.parse(plaintext.toString('utf8'))
}

/** Encrypts bytes into one buffer laid out as IV ‖ tag ‖ ciphertext, the
 * form a bytea column holds (used to wrap subject keys). */
export function encryptBytes (
  key: Buffer,
  plaintext: Buffer,
  aad: string
): Buffer {
  const { iv, tag, data } = seal(key, plaintext, aad)

  return Buffer.concat([iv, tag, data])
}

export function decryptBytes (
  key: Buffer,
  packed: Uint8Array,
  aad: string
): Buffer {
  const bytes = Buffer.from(packed)
  const iv = bytes.subarray(0, GCM_IV_BYTES)
  const tag = bytes.subarray(GCM_IV_BYTES, GCM_IV_BYTES + GCM_TAG_BYTES)
  const data = bytes.subarray(GCM_IV_BYTES + GCM_TAG_BYTES)

  return open(key, { iv, tag, data }, aad)
}

interface Sealed { iv: Buffer, tag: Buffer, data: Buffer }

function seal (key: Buffer, plaintext: Buffer, aad: string): Sealed {
  assertKeyLength(key)
  // A random IV per message: at 2^32 messages per key the chance of a repeat
  // stays below SP 800-38D's 2^-32 bound, far beyond one subject's data.
  const iv = randomBytes(GCM_IV_BYTES)
  const cipher = createCipheriv(ALGORITHM, key, iv, {
    authTagLength: GCM_TAG_BYTES
  })
  cipher.setAAD(Buffer.from(aad, 'utf8'))
  const data = Buffer.concat([cipher.update(plaintext), cipher.final()])

  return { iv, tag: cipher.getAuthTag(), data }
}

function open (key: Buffer, sealed: Sealed, aad: string): Buffer {
  assertKeyLength(key)
  // Node would accept a shortened tag or IV; a truncated tag is a forgery
  // shortcut, so anything but the exact lengths is refused up front.
  if (sealed.iv.length !== GCM_IV_BYTES ||
    sealed.tag.length !== GCM_TAG_BYTES) {
    throw new DecryptError('encrypted value is malformed')
  }

  try {
    const decipher = createDecipheriv(ALGORITHM, key, sealed.iv, {
      authTagLength: GCM_TAG_BYTES
    })
    decipher.setAAD(Buffer.from(aad, 'utf8'))
    decipher.setAuthTag(sealed.tag)

    return Buffer.concat([decipher.update(sealed.data), decipher.final()])
  } catch (error) {
    throw new DecryptError('encrypted value failed authentication', {
      cause: error
    })
  }
}

function hasStringParts (value: EncryptedValue) {
  return typeof value.iv === 'string' && typeof value.tag === 'string' &&
    typeof value.data === 'string'
}

function assertKeyLength (key: Buffer) {
  if (key.length !== AES_256_KEY_BYTES) {
    throw new CipherKeyError(
      `AES-256 needs a ${AES_256_KEY_BYTES}-byte key, got ${key.length}`
    )
  }
}
