import t from 'tap'

import {
  BCRYPT_COST,
  DUMMY_PASSWORD_HASH,
  hashPassword,
  verifyPassword,
  verifyPasswordAgainstDummy
} from '../../src/crypto/password-hashing.ts'

// Every bcrypt call here costs about a quarter of a second: one hash serves
// all the checks.
const password = 'correct horse battery staple ✓'
const hash = await hashPassword(password)

t.test('a hash is bcrypt $2b$ at cost 12', async (t) => {
  t.equal(BCRYPT_COST, 12)
  t.match(hash, /^\$2b\$12\$[./A-Za-z0-9]{53}$/)
})

t.test('the right password verifies and a wrong one does not', async (t) => {
  t.equal(await verifyPassword(password, hash), true)
  t.equal(await verifyPassword('correct horse battery stapler', hash), false)
})

t.test('a password over 72 UTF-8 bytes is refused, not truncated', async (t) => {
  // 24 three-byte characters make 72 bytes; one more ASCII byte is too many.
  const longest = '€'.repeat(24)
  const tooLong = longest + 'x'
  const longestHash = await hashPassword(longest)

  await t.rejects(hashPassword(tooLong),
    { code: 'CR_ERR_CRYPTO_PASSWORD_TOO_LONG' })
  // bcrypt alone would say true here: it ignores the 73rd byte.
  t.equal(await verifyPassword(tooLong, longestHash), false)
})

t.test('the dummy compare answers false at the real cost', async (t) => {
  t.match(DUMMY_PASSWORD_HASH, new RegExp(`^\\$2b\\$${BCRYPT_COST}\\$`))
  t.equal(await verifyPasswordAgainstDummy(password), false)
})
