import { randomBytes } from 'node:crypto'

import t from 'tap'

import {
  environmentOf,
  generateApiKey,
  hashApiKey,
  isSameApiKeyHash,
  isWellFormedApiKey,
  randomAlphanumeric
} from '../../../src/crypto/api-key-hashing.ts'

const ALPHABET =
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

t.test('keys carry their environment prefix and 64 alphanumerics', async (t) => {
  const live = generateApiKey('live')
  const test = generateApiKey('test')

  t.match(live, /^cloudretail_live_sk_[A-Za-z0-9]{64}$/)
  t.match(test, /^cloudretail_test_sk_[A-Za-z0-9]{64}$/)
  t.equal(environmentOf(live), 'live')
  t.equal(environmentOf(test), 'test')
  t.ok(isWellFormedApiKey(live))
  t.notOk(isWellFormedApiKey(live + 'x'))
  t.notOk(isWellFormedApiKey(live.replace('live', 'prod')))
  t.notOk(isWellFormedApiKey(` ${live}`))
})

t.test('every alphanumeric is equally likely (no modulo bias)', async (t) => {
  const counts = new Map<string, number>()
  for (const char of randomAlphanumeric(200_000)) {
    counts.set(char, (counts.get(char) ?? 0) + 1)
  }

  t.same([...counts.keys()].sort(), [...ALPHABET].sort(),
    'all 62 characters and nothing else')
  // 256 mod 62 = 8: plain `byte % 62` would make A-H 25% likelier than
  // the rest. Each count here is about 3,226 ± 57.
  const mean = (chars: string) => [...chars]
    .reduce((sum, c) => sum + counts.get(c)!, 0) / chars.length
  const ratio = mean(ALPHABET.slice(0, 8)) / mean(ALPHABET.slice(8))
  t.ok(ratio > 0.95 && ratio < 1.05, `A-H against the rest: ${ratio}`)
})

t.test('the lookup hash is keyed, stable and 64 hex characters', async (t) => {
  const key = generateApiKey('live')
  const serverKey = randomBytes(32)

  const hash = hashApiKey(serverKey, key)
  t.match(hash, /^[0-9a-f]{64}$/)
  t.equal(hashApiKey(serverKey, key), hash, 'the same key finds the same row')
  t.not(hashApiKey(randomBytes(32), key), hash, 'another server key differs')
  t.not(hashApiKey(serverKey, generateApiKey('live')), hash)
  t.notMatch(hash, key.slice(20, 30))
})

t.test('hashes compare equal only when identical', async (t) => {
  const hash = hashApiKey(randomBytes(32), generateApiKey('test'))

  t.ok(isSameApiKeyHash(hash, hash))
  t.notOk(isSameApiKeyHash(hash, hash.slice(0, -1) + (hash.endsWith('0') ? '1' : '0')))
  t.notOk(isSameApiKeyHash(hash, hash.slice(1)))
  t.notOk(isSameApiKeyHash(hash, ''))
})
