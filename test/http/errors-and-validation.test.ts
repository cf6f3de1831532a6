import t, { type Test } from 'tap'
import type { LightMyRequestResponse } from 'fastify'

import { BODY_LIMIT_BYTES } from '../../src/http/app.ts'
import { buildTestApp, newRegistration, signUp } from '../helpers/app.ts'
import { listProduct, newProduct } from '../helpers/catalogue.ts'
import { eventsAfter, lastPosition } from '../helpers/event-log.ts'

const PROBLEM = /^application\/problem\+json/
// Words that would mean an internal leaked into a client's answer.
const LEAKS = /stack|node_modules|\.ts:\d|FST_ERR|select |insert into|syntaxerror|unexpected token|ajv|fastify|postgres|pglite|kysely|typebox|\bat [A-Za-z.]+ \(/i

const test = await buildTestApp(t)
const admin = await signUp(test, 'admin')
const { productId } = await listProduct(test, admin)
const ORDER_ID = '00000000-0000-4000-8000-000000000001'

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

interface Case {
  readonly method: Method
  readonly url: string
  readonly payload?: unknown
  readonly field: string
}

const withAddress = (address: Record<string, unknown>) => newRegistration({
  address: { ...newRegistration().address, ...address }
})

// At least one malformed request for every route of the API contract that
// takes input, with the field the answer must name.
const CASES: Case[] = [
  { method: 'POST', url: '/api/users/register',
    payload: newRegistration({ email: 'not-an-email' }), field: 'body.email' },
  { method: 'POST', url: '/api/users/register',
    payload: { ...newRegistration(), gdprConsent: undefined },
    field: 'body.gdprConsent' },
  { method: 'POST', url: '/api/users/register',
    payload: withAddress({ city: 'x'.repeat(101) }),
    field: 'body.address.city' },
  { method: 'POST', url: '/api/users/register',
    payload: newRegistration({ marketingConsent: 'yes' }),
    field: 'body.marketingConsent' },
  { method: 'POST', url: '/api/users/login',
    payload: { email: 'a@example.com' }, field: 'body.password' },
  { method: 'POST', url: '/api/users/login',
    payload: { email: 42, password: 'x' }, field: 'body.email' },
  { method: 'PUT', url: '/api/admin/users/not-a-uuid/role',
    payload: { role: 'vendor' }, field: 'params.id' },
  { method: 'PUT', url: `/api/admin/users/${ORDER_ID}/role`,
    payload: { role: 'king' }, field: 'body.role' },
  { method: 'POST', url: '/api/products',
    payload: newProduct({ priceCents: '5' }), field: 'body.priceCents' },
  { method: 'POST', url: '/api/products',
    payload: newProduct({ stock: -1 }), field: 'body.stock' },
  { method: 'POST', url: '/api/products',
    payload: newProduct({ category: 'Not A Slug' }), field: 'body.category' },
  { method: 'PATCH', url: `/api/products/${productId}`,
    payload: { priceCents: 1.5 }, field: 'body.priceCents' },
  { method: 'PATCH', url: `/api/products/${productId}`,
    payload: { vendorId: ORDER_ID }, field: 'body.vendorId' },
  { method: 'PATCH', url: '/api/products/123',
    payload: { title: 'x' }, field: 'params.id' },
  { method: 'POST', url: `/api/products/${productId}/stock`,
    payload: { delta: 2.5, reason: 'x' }, field: 'body.delta' },
  { method: 'POST', url: `/api/products/${productId}/stock`,
    payload: { delta: 2 }, field: 'body.reason' },
  { method: 'GET', url: '/api/products?limit=500', field: 'querystring.limit' },
  { method: 'GET', url: '/api/products?vendorId=bob',
    field: 'querystring.vendorId' },
  { method: 'GET', url: '/api/products?colour=red',
    field: 'querystring.colour' },
  { method: 'GET', url: '/api/products/nope', field: 'params.id' },
  { method: 'POST', url: '/api/orders',
    payload: { lines: [] }, field: 'body.lines' },
  { method: 'POST', url: '/api/orders',
    payload: { lines: [{ productId, quantity: 0 }] },
    field: 'body.lines.0.quantity' },
  { method: 'POST', url: '/api/orders',
    payload: { lines: Array.from({ length: 51 }, () => ({ productId,
      quantity: 1 })) },
    field: 'body.lines' },
  { method: 'POST', url: '/api/orders',
    payload: { lines: [{ productId, quantity: 1 }],
      shippingAddress: { street: 'x' } },
    field: 'body.shippingAddress' },
  { method: 'POST', url: '/api/orders/xyz/cancel', payload: {},
    field: 'params.id' },
  { method: 'POST', url: `/api/orders/${ORDER_ID}/cancel`,
    payload: { reason: 'x'.repeat(201) }, field: 'body.reason' },
  { method: 'GET', url: '/api/orders?limit=0', field: 'querystring.limit' },
  { method: 'GET', url: '/api/orders/42', field: 'params.id' },
  { method: 'GET', url: '/api/admin/users?role=king',
    field: 'querystring.role' },
  { method: 'GET', url: '/api/admin/orders?status=lost',
    field: 'querystring.status' },
  { method: 'GET', url: '/api/admin/orders?customerId=abc',
    field: 'querystring.customerId' },
  { method: 'GET', url: '/api/audit/events?limit=0',
    field: 'querystring.limit' },
  { method: 'GET', url: '/api/audit/events?after=-1',
    field: 'querystring.after' },
  { method: 'GET', url: '/api/audit/events?stream=bad%20name',
    field: 'querystring.stream' },
  { method: 'GET', url: '/api/audit/streams/-bad/verify',
    field: 'params.stream' }
]

function assertProblem (t: Test, response: LightMyRequestResponse,
  status: number) {
  t.equal(response.statusCode, status)
  t.match(response.headers['content-type'], PROBLEM)
  const body = response.json()
  t.match(body, { type: String, title: String, status, detail: String,
    correlationId: String })
  t.notMatch(response.body, LEAKS, 'no internals in the body')
}

t.test('malformed input to every route is a 400 naming the field', async (t) => {
  const before = await lastPosition(test)

  for (const { method, url, payload, field } of CASES) {
    const response = await test.app.inject({
      method, url, headers: admin.auth,
      ...(payload === undefined ? {} : { payload: payload as object })
    })
    t.test(`${method} ${url} → ${field}`, async (t) => {
      assertProblem(t, response, 400)
      t.ok(response.json().errors?.some(
        (e: { field: string }) => e.field === field),
      `errors name ${field}: ${response.body}`)
    })
  }

  t.equal(await lastPosition(test), before, 'nothing was appended')
})

t.test('a NUL character in any string field is a 400 that appends nothing', async (t) => {
  const before = await lastPosition(test)
  const nul = 'bad\u0000value'
  const cases: Case[] = [
    { method: 'POST', url: '/api/users/register',
      payload: newRegistration({ firstName: nul }), field: 'body.firstName' },
    { method: 'POST', url: '/api/users/register',
      payload: newRegistration({ lastName: nul }), field: 'body.lastName' },
    { method: 'POST', url: '/api/users/register',
      payload: newRegistration({ password: `Correct-Horse-${nul}` }),
      field: 'body.password' },
    { method: 'POST', url: '/api/users/register',
      payload: newRegistration({ username: nul }), field: 'body.username' },
    { method: 'POST', url: '/api/users/register',
      payload: withAddress({ street: nul }), field: 'body.address.street' },
    { method: 'POST', url: '/api/users/login',
      payload: { email: `a${nul}@example.com`, password: 'x' },
      field: 'body.email' },
    { method: 'POST', url: '/api/users/login',
      payload: { email: admin.email, password: nul }, field: 'body.password' },
    { method: 'POST', url: '/api/products',
      payload: newProduct({ title: nul }), field: 'body.title' },
    { method: 'POST', url: '/api/products',
      payload: newProduct({ description: nul }), field: 'body.description' },
    { method: 'POST', url: '/api/products',
      payload: newProduct({ brand: nul }), field: 'body.brand' },
    { method: 'POST', url: '/api/products',
      payload: newProduct({ sku: nul }), field: 'body.sku' },
    { method: 'PATCH', url: `/api/products/${productId}`,
      payload: { title: nul }, field: 'body.title' },
    { method: 'POST', url: `/api/products/${productId}/stock`,
      payload: { delta: 1, reason: nul }, field: 'body.reason' },
    { method: 'POST', url: '/api/orders',
      payload: { lines: [{ productId, quantity: 1 }],
        shippingAddress: { ...newRegistration().address, city: nul } },
      field: 'body.shippingAddress.city' },
    { method: 'POST', url: `/api/orders/${ORDER_ID}/cancel`,
      payload: { reason: nul }, field: 'body.reason' }
  ]

  for (const { method, url, payload, field } of cases) {
    const response = await test.app.inject({
      method, url, headers: admin.auth, payload: payload as object
    })
    t.test(`${field} of ${method} ${url}`, async (t) => {
      assertProblem(t, response, 400)
      t.ok(response.json().errors?.some(
        (e: { field: string }) => e.field.startsWith(field)),
      `errors name ${field}: ${response.body}`)
    })
  }

  t.equal(await lastPosition(test), before, 'nothing was appended')
})

t.test('an unknown route is a 404 problem', async (t) => {
  const response = await test.app.inject({ method: 'GET', url: '/api/nothing' })

  assertProblem(t, response, 404)
})

t.test('a known path with the wrong method is refused', async (t) => {
  for (const [method, url] of [['DELETE', '/api/products'],
    ['PUT', '/api/orders'], ['GET', '/api/users/login']] as const) {
    const response = await test.app.inject({ method, url, headers: admin.auth })
    t.ok([404, 405].includes(response.statusCode), `${method} ${url}`)
    t.match(response.headers['content-type'], PROBLEM)
  }
})

t.test('a JSON body sent as text/plain is a 415', async (t) => {
  const response = await test.app.inject({
    method: 'POST',
    url: '/api/users/register',
    headers: { 'content-type': 'text/plain' },
    payload: JSON.stringify(newRegistration())
  })

  assertProblem(t, response, 415)
})

t.test('invalid JSON is a 400 that quotes nothing of the body', async (t) => {
  const response = await test.app.inject({
    method: 'POST',
    url: '/api/products',
    headers: { ...admin.auth, 'content-type': 'application/json' },
    payload: '{"sku": "SECRET-SKU", "title": '
  })

  assertProblem(t, response, 400)
  t.notMatch(response.body, /SECRET-SKU/)
})

t.test('a body over the limit is a 413', async (t) => {
  const before = await lastPosition(test)

  const response = await test.app.inject({
    method: 'POST',
    url: '/api/products',
    headers: admin.auth,
    payload: newProduct({ description: 'x'.repeat(BODY_LIMIT_BYTES + 1) })
  })

  assertProblem(t, response, 413)
  t.equal(await lastPosition(test), before)
})

t.test('every protected route refuses a missing or bad token with 401', async (t) => {
  const routes: [Method, string][] = [
    ['GET', '/api/users/me'],
    ['DELETE', '/api/users/me'],
    ['POST', '/api/users/logout'],
    ['PUT', `/api/admin/users/${admin.userId}/role`],
    ['POST', '/api/products'],
    ['PATCH', `/api/products/${productId}`],
    ['POST', `/api/products/${productId}/stock`],
    ['POST', '/api/orders'],
    ['POST', `/api/orders/${ORDER_ID}/cancel`],
    ['GET', '/api/orders'],
    ['GET', `/api/orders/${ORDER_ID}`],
    ['GET', '/api/admin/users'],
    ['GET', '/api/admin/orders'],
    ['GET', '/api/admin/projections'],
    ['GET', '/api/audit/events'],
    ['GET', '/api/audit/streams/events/verify']
  ]
  const before = await lastPosition(test)

  for (const [method, url] of routes) {
    for (const headers of [{}, { authorization: 'Bearer not.a.token' },
      { authorization: admin.token }]) {
      const response = await test.app.inject({ method, url, headers })
      assertProblem(t, response, 401)
      t.match(response.headers['www-authenticate'], /^Bearer\b/)
    }
  }
  // A presented token that is refused is a security event; nothing else.
  t.same(new Set((await eventsAfter(test, before)).map((e) => e.type)),
    new Set(['TokenRejected']))
})
