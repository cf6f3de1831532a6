import t from 'tap'

import { randomId, randomToken } from '../../src/crypto/random-token.ts'

t.test('a token is base64url of the requested length', async (t) => {
  t.match(randomToken(), /^[A-Za-z0-9_-]{43}$/)
  t.equal(Buffer.from(randomToken(16), 'base64url').length, 16)
})

t.test('two tokens differ', async (t) => {
  t.not(randomToken(), randomToken())
})

t.test('a token of no bytes is refused', async (t) => {
  t.throws(() => randomToken(0), RangeError)
  t.throws(() => randomToken(1.5), RangeError)
})

t.test('an id is a version 4 UUID', async (t) => {
  t.match(randomId(),
    /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
})
