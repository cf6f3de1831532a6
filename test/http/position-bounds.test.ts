import t, { type Test } from 'tap'
import type { LightMyRequestResponse } from 'fastify'

import { createKey } from '../helpers/api-keys.ts'
import { buildTestApp, signUp } from '../helpers/app.ts'
import { assertFieldProblem } from '../helpers/hardening.ts'

// Positions and cursor seqs are PostgreSQL int8: 2^63−1 is the largest.
const MAX_INT8 = '9223372036854775807'
const PAST_INT8 = '9223372036854775808'
const NINETEEN_NINES = '9999999999999999999'
const TWENTY_DIGITS = '18446744073709551616'

const test = await buildTestApp(t)
const admin = await signUp(test, 'admin')
const vendor = await signUp(test, 'vendor')
const customer = await signUp(test)
const reader = await createKey(test, admin, {
  scopes: ['read:products', 'read:orders'], customerId: customer.userId
})

function cursorFor (seq: string) {
  return Buffer.from(JSON.stringify({ seq })).toString('base64url')
}

function assertPositionProblem (t: Test, response: LightMyRequestResponse,
  field: string) {
  assertFieldProblem(t, response, field)
  t.match(response.json().detail, /position|cursor/)
  t.notMatch(response.body, /bigint|out of range|postgres|pglite/i)
}

const PAGED: [string, Record<string, string>][] = [
  ['/api/products', {}],
  ['/api/orders', customer.auth],
  ['/api/vendor/orders', vendor.auth],
  ['/api/admin/users', admin.auth],
  ['/api/admin/orders', admin.auth],
  ['/api/webhooks/products', reader.headers],
  ['/api/webhooks/orders', reader.headers]
]

t.test('a cursor whose seq is past the int8 range is a 400 on every paged route', async (t) => {
  for (const [url, headers] of PAGED) {
    for (const seq of [PAST_INT8, NINETEEN_NINES]) {
      const response = await test.app.inject({
        method: 'GET', url: `${url}?after=${cursorFor(seq)}`, headers
      })
      t.test(`${url} after seq ${seq}`, async (t) => {
        assertPositionProblem(t, response, 'querystring.after')
      })
    }
  }
})

t.test('a cursor at the int8 maximum is an empty last page', async (t) => {
  const response = await test.app.inject({
    method: 'GET', url: `/api/products?after=${cursorFor(MAX_INT8)}`
  })

  t.equal(response.statusCode, 200, response.body)
  t.same(response.json(), { items: [], nextCursor: null })
})

t.test('an audit position past the int8 range is a 400 naming after', async (t) => {
  for (const after of [PAST_INT8, NINETEEN_NINES, TWENTY_DIGITS]) {
    for (const stream of ['', `&stream=user-${admin.userId}`]) {
      const response = await test.app.inject({
        method: 'GET',
        url: `/api/audit/events?after=${after}${stream}`,
        headers: admin.auth
      })
      t.test(`after=${after}${stream}`, async (t) => {
        assertPositionProblem(t, response, 'querystring.after')
      })
    }
  }
})

t.test('an audit position at the int8 maximum is an empty page', async (t) => {
  const response = await test.app.inject({
    method: 'GET', url: `/api/audit/events?after=${MAX_INT8}`,
    headers: admin.auth
  })

  t.equal(response.statusCode, 200, response.body)
  t.same(response.json(), { items: [], next: null })
})

t.test('an X-Min-Position past the int8 range is a 400 naming the header', async (t) => {
  for (const position of [PAST_INT8, TWENTY_DIGITS]) {
    const response = await test.app.inject({
      method: 'GET', url: '/api/products',
      headers: { 'x-min-position': position }
    })
    t.test(`x-min-position: ${position}`, async (t) => {
      assertPositionProblem(t, response, 'headers.x-min-position')
    })
  }
})
