/**
 * What the RBAC table means beyond roles: whose order, whose product, whose
 * profile, and who may hand out roles. Each is an attack on the running app
 * that must fail and append nothing.
 */
import t, { type Test } from 'tap'

import {
  buildTestApp,
  newRegistration,
  signUp,
  type SignedIn
} from '../../helpers/app.ts'
import { listProduct } from '../../helpers/catalogue.ts'
import { eventsAfter, lastPosition } from '../../helpers/event-log.ts'

const test = await buildTestApp(t)
const admin = await signUp(test, 'admin')
const alice = await signUp(test)
const bob = await signUp(test)
const vendorA = await signUp(test, 'vendor')
const vendorB = await signUp(test, 'vendor')
const auditor = await signUp(test, 'auditor')
const productA = (await listProduct(test, vendorA, { stock: 50 })).productId
const productB = (await listProduct(test, vendorB, { stock: 50 })).productId

const placed = await test.app.inject({
  method: 'POST', url: '/api/orders', headers: alice.auth,
  payload: { lines: [{ productId: productA, quantity: 1 },
    { productId: productB, quantity: 2 }] }
})
const aliceOrder = placed.json().orderId as string
const atOrder = { 'x-min-position': placed.json().position as string }

/** The attempts are recorded as AccessDenied security events, and that is all. */
async function onlyAttemptsRecorded (t: Test, since: bigint,
  caller: SignedIn, codes: string[]) {
  const events = await eventsAfter(test, since)
  t.same(events.map((e) => e.type), codes.map(() => 'AccessDenied'),
    'nothing but the attempts was appended')
  t.same(events.map((e) => (e.data as { code: string }).code), codes)
  for (const event of events) {
    t.match(event.stream_id, /^security-access-\d{4}-\d{2}-\d{2}$/)
    t.match(event.data, { userId: caller.userId, role: caller.role })
    t.match(event.metadata, { actor: { kind: 'user', id: caller.userId } })
  }
}

t.test('no customer can read or cancel another customer\'s order', async (t) => {
  const before = await lastPosition(test)

  const read = await test.app.inject({ method: 'GET',
    url: `/api/orders/${aliceOrder}`, headers: { ...bob.auth, ...atOrder } })
  const cancel = await test.app.inject({ method: 'POST',
    url: `/api/orders/${aliceOrder}/cancel`, headers: bob.auth, payload: {} })
  const list = await test.app.inject({ method: 'GET', url: '/api/orders',
    headers: { ...bob.auth, ...atOrder } })

  t.equal(read.statusCode, 404, 'reading looks like a missing order')
  t.equal(cancel.statusCode, 404, 'cancelling too')
  t.same(list.json().items, [], 'and it is not in their list')
  await onlyAttemptsRecorded(t, before, bob,
    ['CR_ERR_ORDER_NOT_FOUND', 'CR_ERR_ORDER_NOT_FOUND'])
  const own = await test.app.inject({ method: 'GET',
    url: `/api/orders/${aliceOrder}`, headers: alice.auth })
  t.equal(own.json().status, 'placed', 'the order is untouched')
})

t.test('no vendor can change another vendor\'s product', async (t) => {
  const before = await lastPosition(test)

  const edit = await test.app.inject({ method: 'PATCH',
    url: `/api/products/${productB}`, headers: vendorA.auth,
    payload: { priceCents: 1 } })
  const stock = await test.app.inject({ method: 'POST',
    url: `/api/products/${productB}/stock`, headers: vendorA.auth,
    payload: { delta: -40, reason: 'sabotage' } })

  t.ok([403, 404].includes(edit.statusCode), `edit: ${edit.statusCode}`)
  t.ok([403, 404].includes(stock.statusCode), `stock: ${stock.statusCode}`)
  await onlyAttemptsRecorded(t, before, vendorA,
    ['CR_ERR_PRODUCT_NOT_FOUND', 'CR_ERR_PRODUCT_NOT_FOUND'])
})

t.test('a vendor sees only their own lines of an order, and no customer data', async (t) => {
  const response = await test.app.inject({ method: 'GET',
    url: '/api/vendor/orders', headers: { ...vendorA.auth, ...atOrder } })

  t.equal(response.statusCode, 200)
  const [order, ...others] = response.json().items
  t.same(others, [])
  t.equal(order.orderId, aliceOrder)
  t.same(order.lines.map((l: { productId: string }) => l.productId),
    [productA], 'vendor B\'s line is hidden')
  t.equal(order.vendorTotalCents, order.lines[0].lineTotalCents)
  t.notOk('customerId' in order)
  t.notOk('shippingAddress' in order)
  t.notOk('totalCents' in order, 'not even the whole order\'s total')
  t.notMatch(response.body, alice.userId)
  t.notMatch(response.body, 'Analytical Way')

  const stranger = await signUp(test, 'vendor')
  const none = await test.app.inject({ method: 'GET',
    url: '/api/vendor/orders', headers: { ...stranger.auth, ...atOrder } })
  t.same(none.json().items, [], 'a vendor with no sales sees nothing')
})

t.test('registration can never choose a role', async (t) => {
  const before = await lastPosition(test)
  for (const role of ['admin', 'vendor', 'auditor', 'customer']) {
    const response = await test.app.inject({ method: 'POST',
      url: '/api/users/register', payload: newRegistration({ role }) })
    t.equal(response.statusCode, 400, `role ${role} in the body`)
  }
  const attempts = await eventsAfter(test, before)
  t.same(attempts.map((e) => [e.stream_id.replace(/\d{4}-\d{2}-\d{2}$/, 'day'),
    e.type, (e.data as { fields: string }).fields]),
  [1, 2, 3, 4].map(() =>
    ['security-privilege-day', 'PrivilegeEscalationAttempted', 'role']),
  'each attempt is recorded as such, and no account was made')
  t.notMatch(JSON.stringify(attempts.map((e) => e.data)), /admin|auditor/,
    'the event names the field, not the role asked for')

  const plain = await test.app.inject({ method: 'POST',
    url: '/api/users/register', payload: newRegistration() })
  t.equal(plain.json().role, 'customer')
})

t.test('only an admin changes roles, and the change names the admin', async (t) => {
  const before = await lastPosition(test)
  for (const user of [alice, vendorA, auditor]) {
    const response = await test.app.inject({ method: 'PUT',
      url: `/api/admin/users/${user.userId}/role`, headers: user.auth,
      payload: { role: 'admin' } })
    t.equal(response.statusCode, 403, 'promoting oneself is refused')
  }
  const anonymous = await test.app.inject({ method: 'PUT',
    url: `/api/admin/users/${bob.userId}/role`, payload: { role: 'admin' } })
  t.equal(anonymous.statusCode, 401)
  const attempts = await eventsAfter(test, before)
  t.same(attempts.map((e) => [e.type, (e.data as { userId: string }).userId]),
    [alice, vendorA, auditor].map((u) => ['AccessDenied', u.userId]),
    'each attempt is recorded, and no role changed')

  const promoted = await signUp(test)
  const mark = await lastPosition(test)
  const change = await test.app.inject({ method: 'PUT',
    url: `/api/admin/users/${promoted.userId}/role`, headers: admin.auth,
    payload: { role: 'vendor' } })
  t.equal(change.statusCode, 200)
  const events = await eventsAfter(test, mark)
  const changed = events.find((e) => e.type === 'UserRoleChanged')
  t.match(changed?.data, { userId: promoted.userId, from: 'customer',
    to: 'vendor' })
  t.match(changed?.metadata, { actor: { kind: 'user', id: admin.userId,
    role: 'admin' } })
  const stale = await test.app.inject({ method: 'GET', url: '/api/users/me',
    headers: promoted.auth })
  t.equal(stale.statusCode, 401, 'the old role\'s token stops working')
})

t.test('an admin cannot change their own role, so the last admin stays one', async (t) => {
  const before = await lastPosition(test)

  const demote = await test.app.inject({ method: 'PUT',
    url: `/api/admin/users/${admin.userId}/role`, headers: admin.auth,
    payload: { role: 'customer' } })

  t.equal(demote.statusCode, 409)
  t.equal(demote.json().code, 'CR_ERR_USER_OWN_ROLE')
  t.same(await eventsAfter(test, before), [], 'no role changed')
  const still = await test.app.inject({ method: 'GET',
    url: '/api/admin/users?limit=1', headers: admin.auth })
  t.equal(still.statusCode, 200, 'still an admin, session intact')
})

t.test('two admins demoting each other at once leave one admin', async (t) => {
  const [first, second] = [await signUp(test, 'admin'), await signUp(test, 'admin')]
  const demote = (by: SignedIn, whom: SignedIn) => test.app.inject({
    method: 'PUT', url: `/api/admin/users/${whom.userId}/role`,
    headers: by.auth, payload: { role: 'customer' } })

  const answers = await Promise.all([demote(first, second),
    demote(second, first)])

  t.same(answers.map((a) => a.statusCode).filter((s) => s === 200), [200],
    'exactly one demotion goes through')
  t.ok(answers.every((a) => [200, 401, 403].includes(a.statusCode)),
    'the other is refused: its admin is not one any more')
  const changes = await Promise.all([first, second].map(async (admin) =>
    (await test.services.store.readStream(`user-${admin.userId}`))
      .filter((event) => event.type === 'UserRoleChanged')))
  t.same(changes.flat().length, 1,
    'one of the two is still an admin')
})

t.test('a user updates their own profile, encrypted, and no one else\'s', async (t) => {
  const mark = await lastPosition(test)
  const update = await test.app.inject({ method: 'PATCH', url: '/api/users/me',
    headers: bob.auth, payload: { lastName: 'Babbage-Byron',
      address: { street: '1 New Road', city: 'Bath', state: 'Somerset',
        postalCode: 'BA1 1AA', country: 'United Kingdom' } } })
  t.equal(update.statusCode, 200)

  const me = await test.app.inject({ method: 'GET', url: '/api/users/me',
    headers: bob.auth })
  t.match(me.json(), { firstName: 'Ada', lastName: 'Babbage-Byron',
    address: { city: 'Bath' } })
  const [event, ...rest] = await eventsAfter(test, mark)
  t.same(rest, [])
  t.equal(event!.type, 'UserProfileUpdated')
  t.equal(event!.stream_id, `user-${bob.userId}`)
  t.notMatch(JSON.stringify(event!.data), /Babbage|Bath/,
    'the new values are stored encrypted')
  t.notOk('firstName' in (event!.data as object), 'only changed fields')

  const users = await test.app.inject({ method: 'GET',
    url: '/api/admin/users?limit=100',
    headers: { ...admin.auth, 'x-min-position': update.json().position } })
  t.match(users.json().items.find(
    (u: { userId: string }) => u.userId === bob.userId),
  { lastName: 'Babbage-Byron', address: { city: 'Bath' } },
  'the users read model follows')

  const before = await lastPosition(test)
  for (const payload of [{ userId: alice.userId, lastName: 'Hacked' },
    { role: 'admin' }, {}]) {
    const response = await test.app.inject({ method: 'PATCH',
      url: '/api/users/me', headers: bob.auth, payload })
    t.equal(response.statusCode, 400, JSON.stringify(payload))
  }
  const attempts = await eventsAfter(test, before)
  t.same(attempts.map((e) => [e.type, e.data]), [
    ['PrivilegeEscalationAttempted', { userId: bob.userId, role: 'customer',
      method: 'PATCH', route: '/api/users/me', fields: 'userId' }],
    ['PrivilegeEscalationAttempted', { userId: bob.userId, role: 'customer',
      method: 'PATCH', route: '/api/users/me', fields: 'role' }]
  ], 'the two escalation attempts are recorded, and no profile changed')
  const aliceMe = await test.app.inject({ method: 'GET', url: '/api/users/me',
    headers: alice.auth })
  t.equal(aliceMe.json().lastName, 'Lovelace')
})

t.test('an auditor reads audit history, places no order and changes nothing', async (t) => {
  const events = await test.app.inject({ method: 'GET',
    url: '/api/audit/events?limit=5', headers: auditor.auth })
  const order = await test.app.inject({ method: 'POST', url: '/api/orders',
    headers: auditor.auth,
    payload: { lines: [{ productId: productA, quantity: 1 }] } })
  const other = await test.app.inject({ method: 'GET',
    url: `/api/orders/${aliceOrder}`, headers: auditor.auth })

  const profile = await test.app.inject({ method: 'PATCH',
    url: '/api/users/me', headers: auditor.auth,
    payload: { firstName: 'Changed' } })

  t.equal(events.statusCode, 200)
  t.equal(order.statusCode, 403)
  t.equal(other.statusCode, 403)
  t.equal(profile.statusCode, 403, 'not even its own profile')
})
