import { randomBytes } from 'node:crypto'

import t from 'tap'

import { blindIndex, normaliseEmail } from '../../src/crypto/blind-index.ts'

const key = randomBytes(32)

t.test('the same value and purpose always give the same index', async (t) => {
  const index = blindIndex(key, 'email', 'emily@example.com')

  t.match(index, /^[0-9a-f]{64}$/)
  t.equal(blindIndex(key, 'email', 'emily@example.com'), index)
  t.not(blindIndex(key, 'email', 'emilie@example.com'), index)
})

t.test('purposes are domain-separated', async (t) => {
  t.not(blindIndex(key, 'email', 'emily'), blindIndex(key, 'username', 'emily'))
})

t.test('the index depends on the key', async (t) => {
  t.not(blindIndex(key, 'email', 'emily@example.com'),
    blindIndex(randomBytes(32), 'email', 'emily@example.com'))
})

t.test('a purpose that is not a plain word is refused', async (t) => {
  t.throws(() => blindIndex(key, 'e\0mail', 'x'), RangeError)
  t.throws(() => blindIndex(key, '', 'x'), RangeError)
})

t.test('emails differing in case, width or spaces normalise alike', async (t) => {
  const plain = 'emily@example.com'

  t.equal(normaliseEmail(' \uFF25mily@Example.com\t'), plain)
  t.equal(normaliseEmail('EMILY@EXAMPLE.COM'), plain)
  t.equal(blindIndex(key, 'email', normaliseEmail('\uFF25mily@Example.com')),
    blindIndex(key, 'email', normaliseEmail(plain)))
})

t.test('composed and decomposed accents normalise alike', async (t) => {
  t.equal(normaliseEmail('Jos\u0065\u0301@example.com'),
    normaliseEmail('JOS\u00c9@example.com'))
})

t.test('different mailboxes stay different', async (t) => {
  t.not(normaliseEmail('emily+shop@example.com'),
    normaliseEmail('emily@example.com'))
})
