/**
 * Every route, found from the OpenAPI document: a query parameter it does
 * not declare, or a body on a route that takes none (a GET included), is a
 * 400 naming the field, never silently ignored, and nothing is appended.
 */
import t from 'tap'

import { buildTestApp, signUp } from '../../helpers/app.ts'
import { businessEventsAfter, lastPosition } from '../../helpers/event-log.ts'
import { assertProblem } from '../../helpers/hardening.ts'

interface OpenApiOperation {
  requestBody?: unknown
}

const test = await buildTestApp(t)
const admin = await signUp(test, 'admin')
const document = (await test.app.inject({ method: 'GET', url: '/docs/json' }))
  .json() as { paths: Record<string, Record<string, OpenApiOperation>> }
const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, operation]) =>
    ({ method: method.toUpperCase(), path, operation })))

// Webhooks take an API key and refuse a bearer token before any input is
// read; undeclared input there is covered by the same plugin all the same.
const reachable = operations.filter(({ path }) =>
  !path.startsWith('/api/webhooks'))

t.test('an undeclared query parameter is refused on every route', async (t) => {
  const before = await lastPosition(test)
  let checked = 0

  for (const { method, path, operation } of reachable) {
    if (operation.requestBody !== undefined) continue
    const response = await test.app.inject({ method: method as 'GET',
      url: `${fill(path)}?zz_undeclared=1`, headers: admin.auth })

    assertProblem(t, response, 400)
    t.same(response.json().errors?.map((e: { field: string }) => e.field),
      ['querystring.zz_undeclared'], `${method} ${path}`)
    checked++
  }

  t.ok(checked >= 15, `${checked} routes checked`)
  t.same(await businessEventsAfter(test, before), [], 'nothing was appended')
})

t.test('a body on a route that takes none is refused, not ignored', async (t) => {
  const before = await lastPosition(test)
  const bodiless = reachable.filter(({ method, operation }) =>
    method !== 'GET' && operation.requestBody === undefined)

  for (const { method, path } of bodiless) {
    const response = await test.app.inject({ method: method as 'POST',
      url: fill(path), headers: admin.auth, payload: { zz_undeclared: 1 } })

    assertProblem(t, response, 400)
    t.same(response.json().errors?.map((e: { field: string }) => e.field),
      ['body.zz_undeclared'], `${method} ${path}`)
  }

  t.ok(bodiless.length >= 4, `${bodiless.length} routes without a body`)
  t.same(await businessEventsAfter(test, before), [],
    'nothing was appended: the admin was neither logged out nor erased')
  const still = await test.app.inject({ method: 'GET', url: '/api/users/me',
    headers: admin.auth })
  t.equal(still.statusCode, 200, 'the session still works')
})

t.test('a body on a GET route is refused, whatever its type', async (t) => {
  const reads = reachable.filter(({ method }) => method === 'GET')
  const bodies: [string, string][] = [
    ['application/json', '{"__proto__":{"x":1},"role":"admin"}'],
    ['application/json', '{x}'],
    ['text/plain', 'not json']
  ]

  for (const { path } of reads) {
    for (const [type, payload] of bodies) {
      const response = await test.app.inject({ method: 'GET', url: fill(path),
        headers: { ...admin.auth, 'content-type': type }, payload })

      assertProblem(t, response, 400)
      t.equal(response.json().code, 'CR_ERR_HTTP_UNEXPECTED_BODY',
        `GET ${path} with ${type}`)
    }
  }
  t.ok(reads.length >= 10, `${reads.length} GET routes`)

  const head = await test.app.inject({ method: 'HEAD', url: '/api/products',
    headers: { 'content-type': 'application/json' }, payload: '{"a":1}' })
  t.equal(head.statusCode, 400, 'HEAD too')
  const plain = await test.app.inject({ method: 'GET', url: '/api/products' })
  t.equal(plain.statusCode, 200, 'a GET without a body is answered')
})

t.test('an empty JSON object or no body at all is still accepted', async (t) => {
  const viewer = await signUp(test)

  const empty = await test.app.inject({ method: 'POST',
    url: '/api/users/logout', headers: viewer.auth, payload: {} })

  t.equal(empty.statusCode, 204)
  const again = await signUp(test)
  const none = await test.app.inject({ method: 'POST',
    url: '/api/users/logout', headers: again.auth })
  t.equal(none.statusCode, 204)
})

function fill (path: string) {
  return path
    .replace('{id}', '00000000-0000-4000-8000-000000000001')
    .replace('{stream}', 'user-00000000-0000-4000-8000-000000000001')
}
