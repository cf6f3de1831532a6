import t from 'tap'

import { dumpAllTables, findTraces } from '../../helpers/database-dump.ts'
import { buildTestApp, signUp } from '../../helpers/app.ts'
import { createKey } from '../../helpers/api-keys.ts'
import { eventsAfter, lastPosition } from '../../helpers/event-log.ts'

const KEY_FORMAT = /^cloudretail_(live|test)_sk_[A-Za-z0-9]{64}$/

const test = await buildTestApp(t)
const admin = await signUp(test, 'admin')
const customer = await signUp(test)
const vendor = await signUp(test, 'vendor')
const auditor = await signUp(test, 'auditor')

t.test('an admin creates a key that is shown once and stored only as a hash', async (t) => {
  const before = await lastPosition(test)
  const response = await test.app.inject({
    method: 'POST',
    url: '/api/admin/api-keys',
    headers: admin.auth,
    payload: { name: 'warehouse sync', environment: 'test',
      scopes: ['read:products'] }
  })

  t.equal(response.statusCode, 201)
  t.equal(response.headers['cache-control'], 'no-store')
  const body = response.json()
  t.match(body.apiKey, KEY_FORMAT)
  t.ok(body.apiKey.startsWith('cloudretail_test_sk_'))
  t.match(body, { name: 'warehouse sync', environment: 'test',
    scopes: ['read:products'], customerId: null, expiresAt: null,
    createdBy: admin.userId })
  t.notOk('keyHash' in body, 'the answer holds no hash')

  const events = await eventsAfter(test, before)
  t.same(events.map((e) => [e.stream_id, e.type]),
    [[`apikey-${body.keyId}`, 'ApiKeyCreated']])
  const data = events[0]!.data as Record<string, unknown>
  t.match(data.keyHash, /^[0-9a-f]{64}$/)
  t.match(events[0]!.metadata, { actor: { kind: 'user', id: admin.userId } })

  const secret = body.apiKey.slice('cloudretail_test_sk_'.length)
  const traces = findTraces(await dumpAllTables(test.database.db), [secret])
  t.same(traces, [], 'the key is in no table and no event')

  const list = await test.app.inject({
    method: 'GET', url: '/api/admin/api-keys', headers: admin.auth
  })
  t.equal(list.statusCode, 200)
  t.notMatch(list.body, secret)
  t.notMatch(list.body, data.keyHash as string)
  t.match(list.json().items.find(
    (item: { keyId: string }) => item.keyId === body.keyId),
  { name: 'warehouse sync', status: 'active', revokedAt: null })
})

t.test('two keys never repeat and each has 64 random characters', async (t) => {
  const a = await createKey(test, admin, { scopes: ['read:products'] })
  const b = await createKey(test, admin, { scopes: ['read:products'] })

  t.not(a.apiKey, b.apiKey)
  t.match(a.apiKey, KEY_FORMAT)
  t.not(a.keyId, b.keyId)
})

t.test('only admins create, list and revoke keys', async (t) => {
  const key = await createKey(test, admin, { scopes: ['read:products'] })
  const before = await lastPosition(test)

  for (const user of [customer, vendor, auditor]) {
    const requests = [
      { method: 'POST' as const, url: '/api/admin/api-keys',
        payload: { name: 'x', environment: 'live', scopes: ['read:products'] } },
      { method: 'GET' as const, url: '/api/admin/api-keys' },
      { method: 'DELETE' as const, url: `/api/admin/api-keys/${key.keyId}` }
    ]
    for (const request of requests) {
      const response = await test.app.inject({ ...request, headers: user.auth })
      t.equal(response.statusCode, 403, `${request.method} ${request.url}`)
    }
  }
  for (const headers of [{}, key.headers]) {
    const response = await test.app.inject({
      method: 'GET', url: '/api/admin/api-keys', headers
    })
    t.equal(response.statusCode, 401, 'no token, or an API key instead')
  }

  const attempts = await eventsAfter(test, before)
  t.same(attempts.map((e) => [e.type, (e.data as { userId: string }).userId]),
    [customer, vendor, auditor].flatMap((user) =>
      [1, 2, 3].map(() => ['AccessDenied', user.userId])),
  'each refusal is recorded as an attempt, and no key changed')
})

t.test('keys that act for a customer must name an active customer account', async (t) => {
  const before = await lastPosition(test)
  const cases = [
    { scopes: ['write:orders'] },
    { scopes: ['read:orders'], customerId: vendor.userId },
    { scopes: ['write:orders'], customerId: '00000000-0000-4000-8000-000000000009' },
    { scopes: ['read:products'], customerId: customer.userId },
    { scopes: ['read:products'], expiresAt: '2001-01-01T00:00:00Z' },
    { scopes: [] },
    { scopes: ['write:everything'] },
    { scopes: ['read:products', 'read:products'] }
  ]

  for (const body of cases) {
    const response = await test.app.inject({
      method: 'POST',
      url: '/api/admin/api-keys',
      headers: admin.auth,
      payload: { name: 'bad', environment: 'live', ...body }
    })
    t.equal(response.statusCode, 400, JSON.stringify(body))
  }
  t.equal(await lastPosition(test), before, 'nothing was appended')
  const { count } = await test.database.db.selectFrom('api_keys')
    .select((eb) => eb.fn.countAll().as('count')).where('name', '=', 'bad')
    .executeTakeFirstOrThrow()
  t.equal(Number(count), 0, 'no lookup row was left behind')
})

t.test('revoking is recorded once, by the admin, and unknown keys are 404', async (t) => {
  const key = await createKey(test, admin, { scopes: ['read:products'] })
  const before = await lastPosition(test)

  const first = await test.app.inject({ method: 'DELETE',
    url: `/api/admin/api-keys/${key.keyId}`, headers: admin.auth })
  const again = await test.app.inject({ method: 'DELETE',
    url: `/api/admin/api-keys/${key.keyId}`, headers: admin.auth })
  const unknown = await test.app.inject({ method: 'DELETE',
    url: '/api/admin/api-keys/00000000-0000-4000-8000-00000000000a',
    headers: admin.auth })

  t.equal(first.statusCode, 204)
  t.equal(again.statusCode, 204)
  t.equal(unknown.statusCode, 404)
  const events = await eventsAfter(test, before)
  t.same(events.map((e) => e.type), ['ApiKeyRevoked'])
  t.match(events[0]!.metadata, { actor: { kind: 'user', id: admin.userId } })
  t.match(events[0]!.data, { keyId: key.keyId, revokedBy: admin.userId })

  const list = await test.app.inject({
    method: 'GET', url: '/api/admin/api-keys', headers: admin.auth
  })
  t.match(list.json().items.find(
    (item: { keyId: string }) => item.keyId === key.keyId),
  { status: 'revoked', revokedAt: String })
})
