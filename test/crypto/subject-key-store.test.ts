import { randomBytes } from 'node:crypto'

import t from 'tap'

import {
  decryptBytes,
  decryptValue,
  encryptValue
} from '../../src/crypto/field-cipher.ts'
import {
  SubjectKeyStore,
  fingerprintKek
} from '../../src/crypto/subject-key-store.ts'
import { openTestDatabase } from '../helpers/database.ts'

const { db } = await openTestDatabase(t)

const DECRYPT_FAILED = { code: 'CR_ERR_CRYPTO_DECRYPT' }

function buildStore (kek: Buffer, previous: Buffer[] = []) {
  return new SubjectKeyStore({
    db,
    keyEncryptionKey: kek,
    previousKeyEncryptionKeys: previous
  })
}

async function dumpKeyTables () {
  const keys = await db.selectFrom('subject_keys').selectAll().execute()
  const tombstones = await db.selectFrom('erased_subjects').selectAll()
    .execute()

  // Buffer.toJSON runs before any replacer, so bytes are turned to hex first.
  return JSON.stringify([...keys, ...tombstones].map((row) =>
    Object.values(row).map((value: unknown) => value instanceof Uint8Array
      ? Buffer.from(value).toString('hex')
      : value)))
}

t.test('a created key is 256 bits and creating it again keeps it', async (t) => {
  const kek = randomBytes(32)
  const keys = buildStore(kek)
  await keys.createKey('keep-1')
  const first = await keys.getKey('keep-1')
  await keys.createKey('keep-1')

  t.equal(first?.length, 32)
  t.same(await buildStore(kek).getKey('keep-1'), first)
})

t.test('a subject that never had a key has none', async (t) => {
  const keys = buildStore(randomBytes(32))

  t.equal(await keys.getKey('nobody'), null)
  t.equal(await keys.isErased('nobody'), false)
})

t.test('the table holds the key only wrapped, tagged with the KEK id', async (t) => {
  const kek = randomBytes(32)
  const keys = buildStore(kek)
  await keys.createKey('wrapped-1')
  const key = await keys.getKey('wrapped-1') as Buffer
  const dump = await dumpKeyTables()
  const row = await db.selectFrom('subject_keys').selectAll()
    .where('subject_id', '=', 'wrapped-1').executeTakeFirstOrThrow()

  t.equal(row.kek_id, fingerprintKek(kek))
  t.equal(row.kek_id.length, 16)
  t.same(decryptBytes(kek, row.wrapped_key, 'wrapped-1'), key)
  t.ok(dump.includes(Buffer.from(row.wrapped_key).toString('hex')))
  t.notOk(dump.includes(key.toString('hex')))
})

t.test('a wrapped key moved to another subject does not unwrap', async (t) => {
  const kek = randomBytes(32)
  const keys = buildStore(kek)
  await keys.createKey('owner-1')
  await keys.createKey('thief-1')
  const { wrapped_key: wrapped } = await db.selectFrom('subject_keys')
    .select('wrapped_key').where('subject_id', '=', 'owner-1')
    .executeTakeFirstOrThrow()
  await db.updateTable('subject_keys').set({ wrapped_key: wrapped })
    .where('subject_id', '=', 'thief-1').execute()

  await t.rejects(buildStore(kek).getKey('thief-1'), DECRYPT_FAILED)
})

t.test('shredding removes the key and leaves only a tombstone', async (t) => {
  const keys = buildStore(randomBytes(32))
  await keys.createKey('shred-1')
  const key = await keys.getKey('shred-1') as Buffer
  const wrapped = await db.selectFrom('subject_keys').select('wrapped_key')
    .where('subject_id', '=', 'shred-1').executeTakeFirstOrThrow()
  await keys.shred('shred-1')
  await keys.shred('shred-1')
  const dump = await dumpKeyTables()

  t.equal(await keys.getKey('shred-1'), null)
  t.equal(await keys.isErased('shred-1'), true)
  t.notOk(dump.includes(key.toString('hex')))
  t.notOk(dump.includes(Buffer.from(wrapped.wrapped_key).toString('hex')))
  const tombstone = await db.selectFrom('erased_subjects').selectAll()
    .where('subject_id', '=', 'shred-1').executeTakeFirstOrThrow()
  t.same(Object.keys(tombstone).sort(), ['erased_at', 'subject_id'])
})

t.test('an erased subject cannot be given a new key', async (t) => {
  const keys = buildStore(randomBytes(32))
  await keys.shred('gone-1')

  await t.rejects(keys.createKey('gone-1'),
    { code: 'CR_ERR_CRYPTO_SUBJECT_ERASED' })
  t.equal(await keys.getKey('gone-1'), null)
})

t.test('a shred inside a rolled-back transaction keeps the key', async (t) => {
  const keys = buildStore(randomBytes(32))
  await keys.createKey('rollback-1')
  const key = await keys.getKey('rollback-1')

  await t.rejects(db.transaction().execute(async (trx) => {
    await keys.shred('rollback-1', trx)
    t.equal(await keys.getKey('rollback-1', trx), null)
    throw new Error('roll back')
  }), { message: 'roll back' })
  t.same(await keys.getKey('rollback-1'), key)
  t.equal(await keys.isErased('rollback-1'), false)
})

t.test('a key created inside a transaction is readable through it', async (t) => {
  const keys = buildStore(randomBytes(32))
  await db.transaction().execute(async (trx) => {
    await keys.createKey('trx-1', trx)
    t.equal((await keys.getKey('trx-1', trx))?.length, 32)
  })

  t.equal((await keys.getKey('trx-1'))?.length, 32)
})

t.test('another replica serves its cached key until the TTL ends', async (t) => {
  const kek = randomBytes(32)
  const clock = { now: 0 }
  const replica = new SubjectKeyStore({
    db, keyEncryptionKey: kek, cache: { ttlMs: 60_000, now: () => clock.now }
  })
  await replica.createKey('cached-1')
  const key = await replica.getKey('cached-1')
  await buildStore(kek).shred('cached-1')

  t.same(await replica.getKey('cached-1'), key)
  clock.now = 60_000
  t.equal(await replica.getKey('cached-1'), null)
})

t.test('rewrapping moves every key to the new KEK and keeps it', async (t) => {
  await db.deleteFrom('subject_keys').execute()
  const oldKek = randomBytes(32)
  const newKek = randomBytes(32)
  const keys = buildStore(oldKek)
  await keys.createKey('rotate-1')
  await keys.createKey('rotate-2')
  const key = await keys.getKey('rotate-1') as Buffer
  const value = encryptValue(key, 'rotate-1', { a: 1 }, 'user-r|data.a')

  t.equal(await keys.rewrapAll(newKek), 2)
  t.equal(keys.kekId, fingerprintKek(newKek))
  const rotated = await buildStore(newKek).getKey('rotate-1') as Buffer
  t.same(decryptValue(rotated, value, 'user-r|data.a'), { a: 1 })

  const rows = await db.selectFrom('subject_keys').selectAll().execute()
  t.same(rows.map((row) => row.kek_id),
    [fingerprintKek(newKek), fingerprintKek(newKek)])
  for (const row of rows) {
    t.throws(() => decryptBytes(oldKek, row.wrapped_key, row.subject_id),
      DECRYPT_FAILED)
  }
  await t.rejects(buildStore(oldKek).getKey('rotate-2'),
    { code: 'CR_ERR_CRYPTO_KEK_UNKNOWN' })
  t.equal(await keys.rewrapAll(newKek), 0)
})

t.test('a previous KEK still unwraps keys during a rotation', async (t) => {
  const oldKek = randomBytes(32)
  const newKek = randomBytes(32)
  await buildStore(oldKek).createKey('during-1')
  const both = buildStore(newKek, [oldKek])
  await both.createKey('during-2')

  t.equal((await both.getKey('during-1'))?.length, 32)
  t.equal((await buildStore(newKek).getKey('during-2'))?.length, 32)
})

t.test('subjects are listed by a literal prefix', async (t) => {
  const keys = buildStore(randomBytes(32))
  await keys.createKey('anon_x-2024-01-01')
  await keys.createKey('anonAx-2024-01-02')

  t.same(await keys.listSubjects('anon_x-'), ['anon_x-2024-01-01'])
})

t.test('a KEK that is not 256 bits is refused', async (t) => {
  t.throws(() => buildStore(randomBytes(16)), RangeError)
})
