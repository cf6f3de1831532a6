import t from 'tap'

import { buildTestApp, signUp } from '../../helpers/app.ts'
import { createKey } from '../../helpers/api-keys.ts'
import { listProduct } from '../../helpers/catalogue.ts'
import { eventsAfter, lastPosition } from '../../helpers/event-log.ts'

const LEAKS = /stack|node_modules|\.ts:\d|select |kysely|postgres|pglite|revoked|expired|unknown key|malformed/i

const test = await buildTestApp(t)
const admin = await signUp(test, 'admin')
const customer = await signUp(test)
const vendor = await signUp(test, 'vendor')
const { productId } = await listProduct(test, vendor, { stock: 100 })
const reader = await createKey(test, admin, { scopes: ['read:products'] })
const orderer = await createKey(test, admin, {
  scopes: ['write:orders', 'read:orders'], customerId: customer.userId
})

const order = { lines: [{ productId, quantity: 2 }] }

t.test('a key with read:products reads the catalogue', async (t) => {
  const list = await test.app.inject({ method: 'GET',
    url: '/api/webhooks/products', headers: reader.headers })
  const one = await test.app.inject({ method: 'GET',
    url: `/api/webhooks/products/${productId}`, headers: reader.headers })

  t.equal(list.statusCode, 200)
  t.equal(one.statusCode, 200)
  t.equal(one.json().productId, productId)
  t.equal(list.headers['x-ratelimit-limit'], '1000')
})

t.test('an order placed through a key is the key\'s doing, for its customer', async (t) => {
  const before = await lastPosition(test)
  const response = await test.app.inject({ method: 'POST',
    url: '/api/webhooks/orders', headers: orderer.headers, payload: order })

  t.equal(response.statusCode, 201, response.body)
  const events = await eventsAfter(test, before)
  const placed = events.find((e) => e.type === 'OrderPlaced')
  t.match(placed?.data, { customerId: customer.userId })
  t.ok(events.length >= 2, 'a reservation and the order')
  for (const event of events) {
    t.same(event.metadata.actor, { kind: 'api_key', id: orderer.keyId },
      `${event.type} names the key as its actor`)
  }

  const mine = await test.app.inject({ method: 'GET', url: '/api/orders',
    headers: { ...customer.auth, 'x-min-position': response.json().position } })
  t.ok(mine.json().items.some(
    (o: { orderId: string }) => o.orderId === response.json().orderId),
  'the customer sees the order as theirs')
  const viaKey = await test.app.inject({ method: 'GET',
    url: '/api/webhooks/orders',
    headers: { ...orderer.headers, 'x-min-position': response.json().position } })
  t.equal(viaKey.statusCode, 200)
  t.same(viaKey.json().items.map((o: { customerId: string }) => o.customerId),
    [customer.userId])
})

t.test('a request cannot choose the customer an order is for', async (t) => {
  const before = await lastPosition(test)
  const response = await test.app.inject({ method: 'POST',
    url: '/api/webhooks/orders', headers: orderer.headers,
    payload: { ...order, customerId: vendor.userId } })

  t.equal(response.statusCode, 400)
  t.equal(await lastPosition(test), before, 'nothing was appended')
})

t.test('a key without the route\'s scope is refused with 403 and it is recorded', async (t) => {
  const before = await lastPosition(test)
  const cases = [
    { key: reader, method: 'POST' as const, url: '/api/webhooks/orders',
      scope: 'write:orders' },
    { key: reader, method: 'GET' as const, url: '/api/webhooks/orders',
      scope: 'read:orders' },
    { key: orderer, method: 'GET' as const, url: '/api/webhooks/products',
      scope: 'read:products' }
  ]
  for (const c of cases) {
    const response = await test.app.inject({ method: c.method, url: c.url,
      headers: c.key.headers,
      ...(c.method === 'POST' ? { payload: order } : {}) })
    t.equal(response.statusCode, 403, `${c.method} ${c.url}`)
  }

  const events = await eventsAfter(test, before)
  t.same(events.map((e) => e.type), ['AccessDenied', 'AccessDenied',
    'AccessDenied'], 'one security event each, and no order')
  t.match(events[0]!.data, { credential: 'api_key', keyId: reader.keyId,
    missingScope: 'write:orders' })
  t.match(events[0]!.stream_id, /^security-api-key-\d{4}-\d{2}-\d{2}$/)
})

t.test('bad, unknown, revoked and expired keys get one identical 401', async (t) => {
  const revoked = await createKey(test, admin, { scopes: ['read:products'] })
  await test.app.inject({ method: 'DELETE',
    url: `/api/admin/api-keys/${revoked.keyId}`, headers: admin.auth })
  const soon = new Date(Date.now() + 60_000).toISOString()
  const expiring = await createKey(test, admin, { scopes: ['read:products'],
    expiresAt: soon })
  const lastChar = reader.apiKey.at(-1) === 'A' ? 'B' : 'A'
  const attempts: Record<string, Record<string, string>> = {
    missing: {},
    malformed: { 'x-api-key': 'cloudretail_live_sk_short' },
    wrongPrefix: { 'x-api-key': reader.apiKey.replace('_live_', '_prod_') },
    unknown: { 'x-api-key': reader.apiKey.slice(0, -1) + lastChar },
    revoked: revoked.headers,
    expired: expiring.headers,
    bearer: customer.auth,
    bearerAndKey: { ...customer.auth, ...reader.headers }
  }
  const before = await lastPosition(test)
  const realNow = test.services.now
  const clock = test.services as { now: () => Date }
  clock.now = () => new Date(Date.now() + 120_000)
  const answers: string[] = []
  try {
    for (const [name, headers] of Object.entries(attempts)) {
      const response = await test.app.inject({ method: 'GET',
        url: '/api/webhooks/products', headers })
      t.equal(response.statusCode, 401, name)
      t.notMatch(response.body, LEAKS, `${name}: nothing leaks`)
      const body = response.json()
      delete body.correlationId
      answers.push(JSON.stringify({ body, type: response.headers['content-type'],
        challenge: response.headers['www-authenticate'] }))
    }
  } finally {
    clock.now = realNow
  }

  t.equal(new Set(answers).size, 1, 'every refusal reads the same')
  const events = await eventsAfter(test, before)
  t.same(events.map((e) => [e.type, (e.data as { reason: string }).reason]), [
    ['TokenRejected', 'missing'],
    ['TokenRejected', 'malformed'],
    ['TokenRejected', 'malformed'],
    ['TokenRejected', 'unknown'],
    ['TokenRejected', 'revoked'],
    ['TokenRejected', 'expired'],
    ['TokenRejected', 'bearer_token'],
    ['TokenRejected', 'bearer_token']
  ], 'each refusal is recorded with its reason, and nothing else appended')
  const raw = JSON.stringify(events)
  t.notMatch(raw, reader.apiKey.slice(20), 'no presented key is recorded')
  t.notMatch(raw, revoked.apiKey.slice(20))
})

t.test('an API key opens no route outside /api/webhooks', async (t) => {
  for (const [method, url] of [['GET', '/api/orders'],
    ['GET', '/api/users/me'], ['POST', '/api/orders'],
    ['GET', '/api/admin/api-keys']] as const) {
    const response = await test.app.inject({ method, url,
      headers: orderer.headers, ...(method === 'POST' ? { payload: order } : {}) })
    t.equal(response.statusCode, 401, `${method} ${url}`)
  }
})

t.test('a key bound to an erased customer can no longer order', async (t) => {
  const leaving = await signUp(test)
  const key = await createKey(test, admin, { scopes: ['write:orders'],
    customerId: leaving.userId })
  await test.app.inject({ method: 'DELETE', url: '/api/users/me',
    headers: leaving.auth })
  const before = await lastPosition(test)

  const response = await test.app.inject({ method: 'POST',
    url: '/api/webhooks/orders', headers: key.headers, payload: order })

  t.equal(response.statusCode, 403)
  t.equal(await lastPosition(test), before)
})

t.test('the 1,001st request of a key within the hour is a 429, recorded once', async (t) => {
  const key = await createKey(test, admin, { scopes: ['read:products'] })
  const other = await createKey(test, admin, { scopes: ['read:products'] })
  const now = test.services.now()
  // The first 999 requests of the hour, counted by the app's own limiter.
  for (let i = 0; i < 999; i++) await test.app.apiKeyLimiter.hit(key.keyId, now)
  const before = await lastPosition(test)
  const request = (headers: Record<string, string>) => test.app.inject({
    method: 'GET', url: '/api/webhooks/products', headers })

  const thousandth = await request(key.headers)
  const refused = await request(key.headers)
  const again = await request(key.headers)
  const otherKey = await request(other.headers)

  t.equal(thousandth.statusCode, 200)
  t.equal(thousandth.headers['x-ratelimit-remaining'], '0')
  t.equal(refused.statusCode, 429)
  t.match(refused.headers['content-type'], /^application\/problem\+json/)
  t.match(refused.json(), { status: 429, code: 'CR_ERR_API_KEY_RATE_LIMITED' })
  const retryAfter = Number(refused.headers['retry-after'])
  t.ok(retryAfter >= 1 && retryAfter <= 3600, `Retry-After ${retryAfter}`)
  t.equal(again.statusCode, 429)
  t.equal(otherKey.statusCode, 200, 'another key has its own budget')
  const events = await eventsAfter(test, before)
  t.same(events.map((e) => e.type), ['RateLimitExceeded'])
  t.match(events[0]!.data, { keyId: key.keyId, limit: 1000 })
  t.same(events[0]!.metadata.actor, { kind: 'api_key', id: key.keyId })
})
