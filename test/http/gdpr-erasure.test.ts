import t, { type Test } from 'tap'

import { verifyStream } from '../../src/eventstore/hash-chain.ts'
import {
  ALL_PROJECTIONS,
  PROJECTION_NAMES
} from '../../src/projections/index.ts'
import {
  rebuildProjection
} from '../../src/projections/rebuild-projection.ts'
import { waitForPosition } from '../../src/projections/wait-for-position.ts'
import { buildTestApp, signUp, type TestApp } from '../helpers/app.ts'
import { listProduct } from '../helpers/catalogue.ts'
import { dumpAllTables, findTraces } from '../helpers/database-dump.ts'
import { lastPosition, waitForHead } from '../helpers/event-log.ts'

const tag = Date.now().toString(36)
const PERSON = {
  firstName: 'Zebulonia',
  lastName: 'Quillfeather',
  email: `zq.erasable.${tag}@example.org`,
  username: `zq_erasable_${tag}`,
  street: '742 Vanishing Lantern Row'
}
const ADDRESS = {
  street: PERSON.street,
  city: 'Lisbon',
  state: 'Lisboa',
  postalCode: '1100-148',
  country: 'Portugal'
}
const NEEDLES = Object.values(PERSON)

t.test('an erased customer leaves no personal trace, and their order stays', async (t) => {
  const test = await buildTestApp(t)
  const admin = await signUp(test, 'admin')
  const vendor = await signUp(test, 'vendor')
  const person = await signUp(test, 'customer', {
    email: PERSON.email,
    username: PERSON.username,
    firstName: PERSON.firstName,
    lastName: PERSON.lastName,
    address: ADDRESS
  })
  const product = await listProduct(test, vendor, { priceCents: 4321,
    stock: 5 })
  const placed = await test.app.inject({
    method: 'POST',
    url: '/api/orders',
    headers: person.auth,
    payload: {
      lines: [{ productId: product.productId, quantity: 2 }],
      shippingAddress: ADDRESS
    }
  })
  t.equal(placed.statusCode, 201)
  const { orderId } = placed.json()
  await settle(test)
  t.ok(findTraces(await dumpAllTables(test.database.db), NEEDLES).length > 0,
    'before erasure the read models hold the person (the search works)')

  const erased = await test.app.inject({
    method: 'DELETE', url: '/api/users/me', headers: person.auth
  })
  t.equal(erased.statusCode, 204)

  const me = await test.app.inject({
    method: 'GET', url: '/api/users/me', headers: person.auth
  })
  t.equal(me.statusCode, 401, 'their token is refused')
  const login = await test.app.inject({
    method: 'POST', url: '/api/users/login',
    payload: { email: person.email, password: person.password }
  })
  t.equal(login.statusCode, 401, 'their login is refused')

  await settle(test)
  await assertErased(t, test, admin.auth, person.userId, orderId)

  for (const projection of ALL_PROJECTIONS) {
    await rebuildProjection(test.services.store, test.database.db,
      projection, (event) => test.services.codec.reveal(event))
  }
  await settle(test)
  await assertErased(t, test, admin.auth, person.userId, orderId,
    ' after rebuilding every projection')

  const chain = await verifyStream(test.services.store,
    `user-${person.userId}`)
  t.match(chain, { ok: true }, 'the user stream still verifies')
  t.ok(chain.events >= 3, 'registered, logged in, erased')
  const orderChain = await verifyStream(test.services.store,
    `order-${orderId as string}`)
  t.equal(orderChain.ok, true, 'the order stream still verifies')
})

async function assertErased (
  t: Test,
  test: TestApp,
  adminAuth: { authorization: string },
  userId: string,
  orderId: string,
  when = ''
) {
  const dumps = await dumpAllTables(test.database.db)
  t.ok(dumps.some((d) => d.table.endsWith('.events') && d.rows.length > 0),
    `the dump includes the events${when}`)
  t.same(findTraces(dumps, NEEDLES), [], `no table holds the person${when}`)

  await waitForHead(test)
  const events = await test.services.store.readAll({ limit: 10_000 })
  const eventText = events.map((e) =>
    JSON.stringify(e.data) + JSON.stringify(e.metadata)).join('\n')
    .toLowerCase()
  t.same(NEEDLES.filter((n) => eventText.includes(n.toLowerCase())), [],
    `no event holds the person${when}`)

  const orders = await test.app.inject({
    method: 'GET',
    url: `/api/admin/orders?customerId=${userId}`,
    headers: adminAuth
  })
  t.equal(orders.statusCode, 200)
  t.equal(orders.json().items.length, 1, `the order is kept${when}`)
  t.match(orders.json().items[0], {
    orderId,
    customerId: userId,
    totalCents: 8642,
    lines: [{ quantity: 2, unitPriceCents: 4321, lineTotalCents: 8642 }]
  })

  const users = await collectUsers(test, adminAuth)
  const row = users.find((u) => u.userId === userId)
  t.match(row, {
    erased: true, email: null, username: null, firstName: null,
    lastName: null, address: null
  }, `the users read model shows the erasure${when}`)
}

async function collectUsers (test: TestApp, adminAuth: { authorization: string }) {
  const response = await test.app.inject({
    method: 'GET', url: '/api/admin/users?limit=100', headers: adminAuth
  })

  return response.json().items as Record<string, unknown>[]
}

// Until every read model has caught up with the last committed event.
async function settle (test: TestApp) {
  const reached = await waitForPosition(test.database.db, PROJECTION_NAMES,
    await lastPosition(test), { timeoutMs: 30_000 })
  if (!reached) throw new Error('the read models did not catch up')
}
