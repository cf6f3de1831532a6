import { randomBytes } from 'node:crypto'

import t from 'tap'

import {
  decryptBytes,
  decryptValue,
  encryptBytes,
  encryptValue
} from '../../src/crypto/field-cipher.ts'

const key = randomBytes(32)
const DECRYPT_FAILED = {
  name: 'DecryptError',
  code: 'CR_ERR_CRYPTO_DECRYPT'
}
const aad = 'user-1|data.address'
const address = { street: '1 Main St', city: 'Oslo', zip: null }

t.test('a value round-trips, objects and null included', async (t) => {
  for (const plaintext of [address, 'emily@example.com', null, 0, ['a']]) {
    const value = encryptValue(key, 'user-1', plaintext, aad)
    t.same(decryptValue(key, value, aad), plaintext)
  }
})

t.test('the stored value names its subject and hides the plaintext', async (t) => {
  const value = encryptValue(key, 'user-1', 'emily@example.com', aad)

  t.equal(value.$enc, 'aes-256-gcm')
  t.equal(value.subject, 'user-1')
  t.equal(Buffer.from(value.iv, 'base64').length, 12)
  t.equal(Buffer.from(value.tag, 'base64').length, 16)
  t.notMatch(JSON.stringify(value), /emily/)
})

t.test('the same plaintext encrypts differently each time', async (t) => {
  const first = encryptValue(key, 'user-1', 'same', aad)
  const second = encryptValue(key, 'user-1', 'same', aad)

  t.not(first.iv, second.iv)
  t.not(first.data, second.data)
})

t.test('tampering with data, iv or tag fails with the typed error', async (t) => {
  const value = encryptValue(key, 'user-1', address, aad)
  const tampered = [
    { ...value, data: flipFirstBit(value.data) },
    { ...value, iv: flipFirstBit(value.iv) },
    { ...value, tag: flipFirstBit(value.tag) },
    { ...value, tag: Buffer.from(value.tag, 'base64').subarray(0, 12)
      .toString('base64') }
  ]

  for (const candidate of tampered) {
    t.throws(() => decryptValue(key, candidate, aad),
      DECRYPT_FAILED)
  }
})

t.test('another stream or field in the AAD fails with the typed error', async (t) => {
  const value = encryptValue(key, 'user-1', address, aad)

  t.throws(() => decryptValue(key, value, 'user-2|data.address'),
    DECRYPT_FAILED)
  t.throws(() => decryptValue(key, value, 'user-1|data.email'),
    DECRYPT_FAILED)
})

t.test('another key fails with the typed error', async (t) => {
  const value = encryptValue(key, 'user-1', address, aad)

  t.throws(() => decryptValue(randomBytes(32), value, aad), DECRYPT_FAILED)
})

t.test('a malformed value fails with the typed error', async (t) => {
  const value = encryptValue(key, 'user-1', address, aad)
  const broken = { ...value, iv: undefined } as unknown as typeof value

  t.throws(() => decryptValue(key, broken, aad), DECRYPT_FAILED)
})

t.test('bytes round-trip and are bound to their AAD', async (t) => {
  const secret = randomBytes(32)
  const packed = encryptBytes(key, secret, 'user-1')

  t.equal(packed.length, 12 + 16 + 32)
  t.same(decryptBytes(key, packed, 'user-1'), secret)
  t.throws(() => decryptBytes(key, packed, 'user-2'), DECRYPT_FAILED)
  t.throws(() => decryptBytes(key, packed.subarray(0, 20), 'user-1'),
    DECRYPT_FAILED)
})

t.test('a key that is not 256 bits is refused', async (t) => {
  t.throws(() => encryptValue(randomBytes(16), 'user-1', 'x', aad),
    { code: 'CR_ERR_CRYPTO_KEY_LENGTH' })
})

t.test('a value JSON cannot represent is refused', async (t) => {
  t.throws(() => encryptValue(key, 'user-1', undefined, aad), TypeError)
})

function flipFirstBit (base64: string) {
  const bytes = Buffer.from(base64, 'base64')
  bytes[0] = (bytes[0] ?? 0) ^ 1

  return bytes.toString('base64')
}
