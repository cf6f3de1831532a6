import t from 'tap'

import { isEncryptedValue } from '../../src/crypto/encrypted-value.ts'
import type { RecordedEvent } from '../../src/eventstore/event-store.ts'
import {
  buildTestApp,
  newRegistration,
  signUp,
  type SignedIn
} from '../helpers/app.ts'
import { listProduct, newProduct } from '../helpers/catalogue.ts'
import { dumpAllTables, findTraces } from '../helpers/database-dump.ts'
import { lastPosition, waitForHead } from '../helpers/event-log.ts'

const PROBLEM = /^application\/problem\+json/
const CLIENT_IP = '203.0.113.77'
const USER_AGENT = 'AuditProbe/9.9 (distinctive-agent)'
const FROM_CLIENT = { remoteAddress: CLIENT_IP }
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

const test = await buildTestApp(t)
const auditor = await signUp(test, 'auditor')
const vendor = await signUp(test, 'vendor')

// A customer's life through the API, all from one distinctive client.
const registration = newRegistration()
const registered = await test.app.inject({
  method: 'POST', url: '/api/users/register', payload: registration,
  headers: { 'user-agent': USER_AGENT }, ...FROM_CLIENT
})
const login = await test.app.inject({
  method: 'POST', url: '/api/users/login', ...FROM_CLIENT,
  headers: { 'user-agent': USER_AGENT },
  payload: { email: registration.email, password: registration.password }
})
const customer: SignedIn = {
  userId: registered.json().userId,
  role: 'customer',
  token: login.json().token,
  email: registration.email,
  password: registration.password,
  auth: { authorization: `Bearer ${login.json().token as string}` }
}
const { productId } = await listProduct(test, vendor, { stock: 5 })
const order = await test.app.inject({
  method: 'POST', url: '/api/orders', ...FROM_CLIENT,
  headers: { ...customer.auth, 'user-agent': USER_AGENT },
  payload: { lines: [{ productId, quantity: 2 }] }
})
await test.app.inject({
  method: 'POST',
  url: `/api/orders/${order.json().orderId as string}/cancel`,
  ...FROM_CLIENT,
  headers: { ...customer.auth, 'user-agent': USER_AGENT },
  payload: {}
})

async function allEvents (): Promise<RecordedEvent[]> {
  await waitForHead(test)

  return await test.services.store.readAll({ limit: 10_000 })
}

t.test('every event carries the audit envelope and extends its chain', async (t) => {
  const events = await allEvents()
  t.ok(events.length >= 10, `${events.length} events`)
  const ids = new Set<string>()
  const lastHash = new Map<string, string>()

  for (const event of events) {
    const meta = event.metadata
    const where = `${event.type} at ${event.position}`
    t.match(meta.eventId, UUID, `${where}: eventId`)
    ids.add(meta.eventId)
    t.ok(!Number.isNaN(Date.parse(meta.occurredAt)), `${where}: occurredAt`)
    t.match(meta.actor, { kind: String }, `${where}: actor`)
    t.ok(meta.correlationId.length >= 8, `${where}: correlationId`)
    t.ok(meta.causationId.length >= 8, `${where}: causationId`)
    t.match(meta.hash, /^[0-9a-f]{64}$/, `${where}: hash`)
    t.equal(meta.previousHash, lastHash.get(event.stream) ?? '',
      `${where}: previousHash names the stream's previous event`)
    lastHash.set(event.stream, meta.hash)
    if (meta.actor.kind !== 'cli') {
      t.ok(isEncryptedValue(meta.client?.ip), `${where}: ip encrypted`)
      t.ok(isEncryptedValue(meta.client?.userAgent),
        `${where}: user agent encrypted`)
    }
  }
  t.equal(ids.size, events.length, 'event ids are unique')
})

t.test('events name the acting user and role', async (t) => {
  const events = await allEvents()
  const placed = events.find((e) => e.type === 'OrderPlaced')!
  t.match(placed.metadata.actor, { kind: 'user', id: customer.userId,
    role: 'customer' })

  const listed = events.find((e) => e.type === 'ProductCreated')!
  t.match(listed.metadata.actor, { kind: 'user', id: vendor.userId,
    role: 'vendor' })

  const signedUp = events.find((e) => e.type === 'UserRegistered' &&
    e.data.userId === customer.userId)!
  t.match(signedUp.metadata.actor, { kind: 'anonymous' })
})

t.test('a well-formed X-Correlation-ID becomes the events\' correlation id', async (t) => {
  const before = await lastPosition(test)
  const response = await test.app.inject({
    method: 'POST', url: '/api/products',
    headers: { ...vendor.auth, 'x-correlation-id': 'audit-trace-0042' },
    payload: newProduct()
  })

  t.equal(response.statusCode, 201)
  t.equal(response.headers['x-correlation-id'], 'audit-trace-0042')
  const appended = (await allEvents()).filter((e) => e.position > before)
  t.equal(appended.length, 1)
  t.equal(appended[0]!.metadata.correlationId, 'audit-trace-0042')
  t.equal(appended[0]!.metadata.causationId, 'audit-trace-0042')
})

t.test('a malformed X-Correlation-ID is replaced, never recorded', async (t) => {
  const before = await lastPosition(test)
  const response = await test.app.inject({
    method: 'POST', url: '/api/products',
    headers: { ...vendor.auth, 'x-correlation-id': 'x y' },
    payload: newProduct()
  })

  t.equal(response.statusCode, 201)
  const echoed = response.headers['x-correlation-id'] as string
  t.match(echoed, UUID)
  const appended = (await allEvents()).filter((e) => e.position > before)
  t.equal(appended[0]!.metadata.correlationId, echoed)
})

t.test('the client IP and user agent are stored only encrypted', async (t) => {
  const dumps = await dumpAllTables(test.database.db)
  t.same(findTraces(dumps, [CLIENT_IP, USER_AGENT]), [],
    'no table holds them in plaintext')

  const placed = (await allEvents()).find((e) => e.type === 'OrderPlaced')!
  const client = await test.services.codec.revealClient(placed.stream,
    placed.metadata.client)
  t.same(client, { ip: CLIENT_IP, userAgent: USER_AGENT },
    'yet they were recorded, under the actor\'s key')
})

t.test('the audit log is refused to customers and vendors', async (t) => {
  for (const who of [customer, vendor]) {
    const response = await test.app.inject({
      method: 'GET', url: '/api/audit/events', headers: who.auth
    })
    t.equal(response.statusCode, 403)
    t.match(response.headers['content-type'], PROBLEM)
  }
})

t.test('an auditor pages through every event as stored', async (t) => {
  const stored = await allEvents()
  const seen: { position: string, type: string, data: unknown }[] = []
  let after = '0'
  for (let page = 0; page < 100; page++) {
    const response = await test.app.inject({
      method: 'GET',
      url: `/api/audit/events?after=${after}&limit=4`,
      headers: auditor.auth
    })
    t.equal(response.statusCode, 200)
    seen.push(...response.json().items)
    if (response.json().next === null) break
    after = response.json().next
  }

  t.same(seen.map((e) => e.position), stored.map((e) => e.position.toString()))
  const signedUp = seen.find((e) => e.type === 'UserRegistered')!
  t.ok(isEncryptedValue((signedUp.data as { email: unknown }).email),
    'personal fields stay ciphertext')
  t.notMatch(JSON.stringify(seen), registration.email)
})

t.test('an auditor verifies a stream\'s hash chain', async (t) => {
  const stream = `user-${customer.userId}`
  const response = await test.app.inject({
    method: 'GET',
    url: `/api/audit/streams/${stream}/verify`,
    headers: auditor.auth
  })

  t.equal(response.statusCode, 200)
  t.match(response.json(), { stream, ok: true, brokenAt: null, reason: null })
  t.ok(response.json().events >= 2)
})

t.test('a stored event altered behind the store\'s back fails verification', async (t) => {
  const stream = `product-${productId}`
  await test.database.db.updateTable('events')
    .set({ type: 'StockAdjusted' } as never)
    .where('stream_id', '=', stream)
    .where('stream_revision', '=', '1' as never)
    .execute()

  const response = await test.app.inject({
    method: 'GET',
    url: `/api/audit/streams/${stream}/verify`,
    headers: auditor.auth
  })

  t.equal(response.statusCode, 200)
  t.match(response.json(), { stream, ok: false, brokenAt: '1' })
})
