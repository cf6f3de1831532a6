import { randomBytes } from 'node:crypto'

import t from 'tap'

import { userStream } from '../../src/commands/users/events.ts'
import { PersonalDataCodec } from '../../src/crypto/personal-data-codec.ts'
import { SubjectKeyStore } from '../../src/crypto/subject-key-store.ts'
import type { EventData } from '../../src/eventstore/event-store.ts'
import { ALL_PROJECTIONS } from '../../src/projections/index.ts'
import { revealNothing } from '../../src/projections/projection.ts'
import { runOnce } from '../../src/projections/projection-runner.ts'
import { rebuildProjection } from '../../src/projections/rebuild-projection.ts'
import {
  getUser,
  listUsers,
  usersProjection
} from '../../src/projections/users.ts'
import { collectPages } from '../helpers/collect-pages.ts'
import {
  ADDRESS,
  dumpReadModels,
  openProjectionWorld,
  orderLine,
  orderPlaced,
  productCreated,
  record,
  userRegistered
} from '../helpers/projection-fixtures.ts'

const OTHER_ADDRESS = {
  ...ADDRESS, street: '1 Other Road', city: 'Bergen', postalCode: '5003'
}

t.test('registration and a role change show in the user row', async (t) => {
  const { db, store } = await openProjectionWorld(t)
  await record(store, userStream('u1'), 'UserRegistered',
    userRegistered('u1', 'ada'))
  await record(store, userStream('u1'), 'UserRoleChanged',
    { userId: 'u1', from: 'customer', to: 'vendor' })

  await runOnce(store, db, [usersProjection], revealNothing)

  const user = await getUser(db, 'u1')
  t.match(user, {
    userId: 'u1',
    role: 'vendor',
    email: 'ada@example.com',
    username: 'ada',
    firstName: 'ada-first',
    lastName: 'ada-last',
    address: ADDRESS,
    consent: { version: '1', analytics: true },
    erased: false,
    erasedAt: null
  })
  t.match(user?.registeredAt, /^\d{4}-\d\d-\d\dT/)
  t.equal(await getUser(db, 'nobody'), undefined)
})

t.test('keyset pages cover every user exactly once, with and without a role filter', async (t) => {
  const { db, store } = await openProjectionWorld(t)
  for (let i = 0; i < 23; i++) {
    await record(store, userStream(`u${i}`), 'UserRegistered',
      {
        ...userRegistered(`u${i}`, `user${i}`),
        role: i % 3 === 0 ? 'vendor' : 'customer'
      })
  }
  await runOnce(store, db, [usersProjection], revealNothing)

  const all = await collectPages((after) => listUsers(db, { limit: 5, after }))
  t.equal(all.length, 23)
  t.equal(new Set(all.map((u) => u.userId)).size, 23)
  t.same(all.slice(0, 3).map((u) => u.userId), ['u0', 'u1', 'u2'],
    'registration order')

  const vendors = await collectPages((after) =>
    listUsers(db, { role: 'vendor', limit: 2, after }))
  t.same(vendors.map((u) => u.userId), ['u0', 'u3', 'u6', 'u9', 'u12', 'u15',
    'u18', 'u21'])
})

t.test('a cursor that was not issued here is refused with a coded error', async (t) => {
  const { db } = await openProjectionWorld(t)

  await t.rejects(listUsers(db, { after: 'not-a-cursor' }),
    { code: 'CR_ERR_QUERY_INVALID_CURSOR' })
  await t.rejects(listUsers(db, {
    after: Buffer.from('{"seq":"1 or 1=1"}').toString('base64url')
  }), { code: 'CR_ERR_QUERY_INVALID_CURSOR' })
})

t.test('after erasure no read-model table holds any plaintext of the person, even after a rebuild', async (t) => {
  const { db, store } = await openProjectionWorld(t)
  const keys = new SubjectKeyStore({ db, keyEncryptionKey: randomBytes(32) })
  const codec = new PersonalDataCodec({ keys })
  const reveal = codec.reveal.bind(codec)
  const recordProtected = async (stream: string, type: string,
    data: EventData) => {
    const sealed = await codec.protect(stream, { type, data })
    return await record(store, stream, type, sealed.data)
  }
  await keys.createKey('u1')
  await keys.createKey('u2')
  await recordProtected(userStream('u1'), 'UserRegistered',
    userRegistered('u1', 'grace'))
  await recordProtected(userStream('u2'), 'UserRegistered',
    { ...userRegistered('u2', 'linus'), address: null })
  await record(store, 'product-p1', 'ProductCreated', productCreated('p1'))
  await recordProtected('order-o1', 'OrderPlaced',
    orderPlaced('o1', 'u1', [orderLine('p1', 2)]))
  await recordProtected('order-o2', 'OrderPlaced',
    orderPlaced('o2', 'u2', [orderLine('p1')], OTHER_ADDRESS))
  await runOnce(store, db, ALL_PROJECTIONS, reveal)
  t.match(await dumpReadModels(db), /grace@example\.com/,
    'the plaintext was there before erasure')
  t.match(await dumpReadModels(db), /Fjordgata/)

  await keys.shred('u1')
  await record(store, userStream('u1'), 'UserErased',
    { userId: 'u1', erasedAt: '2025-06-01T00:00:00.000Z' })
  await runOnce(store, db, ALL_PROJECTIONS, reveal)

  const incremental = await dumpReadModels(db)
  for (const plaintext of ['grace', 'Fjordgata', 'Trondheim', '7010']) {
    t.notOk(incremental.includes(plaintext), `no "${plaintext}" anywhere`)
  }
  t.match(await getUser(db, 'u1'), {
    email: null, username: null, firstName: null, lastName: null,
    address: null, erased: true, erasedAt: '2025-06-01T00:00:00.000Z'
  })
  t.match(await getUser(db, 'u2'), { email: 'linus@example.com' },
    'another person is untouched')
  t.match(incremental, /1 Other Road/)
  t.equal(await db.selectFrom('rm_orders').select('order_id')
    .where('customer_id', '=', 'u1').execute().then((r) => r.length), 1,
  'the order itself is retained')

  for (const projection of ALL_PROJECTIONS) {
    await rebuildProjection(store, db, projection, reveal)
  }
  const rebuilt = await dumpReadModels(db)
  for (const plaintext of ['grace', 'Fjordgata', 'Trondheim', '7010']) {
    t.notOk(rebuilt.includes(plaintext), `no "${plaintext}" after rebuild`)
  }
  t.match(rebuilt, /linus@example\.com/)
})
