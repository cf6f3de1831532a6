import { randomBytes } from 'node:crypto'

import t from 'tap'

import { isEncryptedValue } from '../../src/crypto/encrypted-value.ts'
import {
  PersonalDataCodec,
  anonymousSubjectFor
} from '../../src/crypto/personal-data-codec.ts'
import { SubjectKeyStore } from '../../src/crypto/subject-key-store.ts'
import { openTestDatabase } from '../helpers/database.ts'

const { db } = await openTestDatabase(t)
const keys = new SubjectKeyStore({ db, keyEncryptionKey: randomBytes(32) })
const codec = new PersonalDataCodec({ keys })

const PERSONAL = ['email', 'username', 'firstName', 'lastName', 'address',
  'passwordHash']
const DECRYPT_FAILED = { code: 'CR_ERR_CRYPTO_DECRYPT' }

function registered (userId: string) {
  return {
    type: 'UserRegistered',
    data: {
      userId,
      role: 'customer',
      email: 'emily@example.com',
      username: 'emily',
      firstName: 'Emily',
      lastName: 'Brontë',
      address: { street: '1 Main St', city: 'Haworth', state: 'YKS',
        postalCode: 'BD22', country: 'GB' },
      passwordHash: '$2b$12$abc',
      consent: { version: '1.0', marketing: false }
    } as Record<string, unknown>
  }
}

async function protectUser (userId: string) {
  await keys.createKey(userId)
  const stream = `user-${userId}`
  const event = await codec.protect(stream, registered(userId))

  return { stream, event, recorded: { ...event, stream } }
}

t.test('every personal field is encrypted and the rest left as is', async (t) => {
  const { event } = await protectUser('u-1')

  for (const field of PERSONAL) {
    t.ok(isEncryptedValue(event.data[field]), field)
  }
  t.equal(event.data.userId, 'u-1')
  t.same(event.data.consent, { version: '1.0', marketing: false })
  t.notMatch(JSON.stringify(event), /emily|Emily|Haworth|\$2b\$12\$abc/)
})

t.test('revealing restores the original event', async (t) => {
  const { recorded } = await protectUser('u-2')
  const revealed = await codec.reveal(recorded)

  t.same(revealed, { ...registered('u-2'), stream: 'user-u-2' })
})

t.test('null and missing personal fields survive the round trip', async (t) => {
  await keys.createKey('u-3')
  const event = registered('u-3')
  event.data.address = null
  delete event.data.lastName
  const stored = await codec.protect('user-u-3', event)
  const revealed = await codec.reveal({ ...stored, stream: 'user-u-3' })

  t.ok(isEncryptedValue(stored.data.address))
  t.notOk('lastName' in stored.data)
  t.equal(revealed.data.address, null)
  t.notOk('lastName' in revealed.data)
})

t.test('an event type with no personal fields passes untouched', async (t) => {
  const event = { type: 'ProductCreated', data: { name: 'Mug' } }

  t.equal(await codec.protect('product-1', event), event)
})

t.test('after a shred every personal field reads as null', async (t) => {
  const { recorded } = await protectUser('u-4')
  await keys.shred('u-4')
  const revealed = await codec.reveal(recorded)

  for (const field of PERSONAL) {
    t.equal(revealed.data[field], null, field)
  }
  t.equal(revealed.data.userId, 'u-4')
  t.equal(await keys.getKey('u-4'), null)
})

t.test('a value moved to another stream or field fails to decrypt', async (t) => {
  const { event, recorded } = await protectUser('u-5')

  await t.rejects(codec.reveal({ ...recorded, stream: 'user-u-6' }),
    DECRYPT_FAILED)
  await t.rejects(codec.reveal({
    ...recorded,
    data: { ...event.data, username: event.data.email }
  }), DECRYPT_FAILED)
})

t.test('a tampered ciphertext fails with the typed error', async (t) => {
  const { event, recorded } = await protectUser('u-7')
  const email = event.data.email as { data: string }
  const flipped = Buffer.from(email.data, 'base64')
  flipped[0] = (flipped[0] ?? 0) ^ 1

  await t.rejects(codec.reveal({
    ...recorded,
    data: { ...event.data, email: { ...email, data: flipped.toString('base64') } }
  }), DECRYPT_FAILED)
})

t.test('protecting for a subject without a key is refused', async (t) => {
  await t.rejects(codec.protect('user-u-8', registered('u-8')),
    { code: 'CR_ERR_CRYPTO_SUBJECT_KEY_MISSING' })
  await keys.createKey('u-9')
  await keys.shred('u-9')
  await t.rejects(codec.protect('user-u-9', registered('u-9')),
    { code: 'CR_ERR_CRYPTO_SUBJECT_KEY_MISSING' })
  await t.rejects(codec.protect('user-x', { type: 'UserRegistered',
    data: { email: 'a@b.c' } }), { code: 'CR_ERR_CRYPTO_SUBJECT_MISSING' })
})

t.test('client metadata round-trips and reads as null once erased', async (t) => {
  await keys.createKey('u-10')
  const client = { ip: '203.0.113.7', userAgent: 'curl/8.5' }
  const stored = await codec.protectClient('u-10', 'order-1', client)

  t.ok(isEncryptedValue(stored.ip))
  t.notMatch(JSON.stringify(stored), /203\.0|curl/)
  t.same(await codec.revealClient('order-1', stored), client)
  await t.rejects(codec.revealClient('order-2', stored), DECRYPT_FAILED)
  await keys.shred('u-10')
  t.same(await codec.revealClient('order-1', stored),
    { ip: null, userAgent: null })
})

t.test('absent client metadata needs no key and reads as null', async (t) => {
  t.same(await codec.protectClient('nobody', 'user-z', {}), {})
  t.same(await codec.revealClient('user-z', undefined),
    { ip: null, userAgent: null })
})

t.test('an anonymous request gets a daily key on first use', async (t) => {
  const subject = anonymousSubjectFor(new Date('2024-03-05T23:59:59Z'))
  const stored = await codec.protectClient(subject, 'security-logins',
    { ip: '198.51.100.1' })

  t.equal(subject, 'anonymous-2024-03-05')
  t.equal(stored.ip?.subject, subject)
  t.equal((await codec.revealClient('security-logins', stored)).ip,
    '198.51.100.1')
})
