/**
 * Attacks against the running app: injection strings in every declared
 * query and path parameter of every route (taken from the OpenAPI document,
 * so new routes are covered too), hostile bodies, Host and method-override
 * tricks, TRACE and OPTIONS, path traversal. Each must be a 4xx, never a
 * 5xx, leak nothing, leave the app answering, and append no business event
 * (security events recording the refusal are allowed).
 */
import t, { type Test } from 'tap'
import type { LightMyRequestResponse } from 'fastify'

import { buildTestApp, newRegistration, signUp } from '../../helpers/app.ts'
import { listProduct } from '../../helpers/catalogue.ts'
import { eventsAfter, lastPosition } from '../../helpers/event-log.ts'
import { LEAKS } from '../../helpers/hardening.ts'

const test = await buildTestApp(t)
const admin = await signUp(test, 'admin')
const customer = await signUp(test)
const { productId } = await listProduct(test, admin)
const VALID_ID = '00000000-0000-4000-8000-000000000001'

const INJECTIONS = [
  "' OR 1=1--",
  "1; DROP TABLE events",
  "') UNION SELECT password_hash, null FROM users--",
  "1' AND pg_sleep(5)--",
  "'; UPDATE events SET data = '{}'--",
  '" OR ""="',
  "admin'/*",
  '1 OR 1=1',
  "%27%20OR%201%3D1--",
  "$(rm -rf /)",
  '{"$gt": ""}'
]

interface Operation {
  parameters?: { in: string, name: string }[]
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

function assertRefused (t: Test, response: LightMyRequestResponse,
  label: string) {
  t.ok(response.statusCode >= 400 && response.statusCode < 500,
    `${label} → ${response.statusCode}`)
  t.notMatch(response.body, LEAKS, `${label} leaks nothing`)
}

async function businessEventsSince (position: bigint) {
  return (await eventsAfter(test, position))
    .filter((event) => !event.stream_id.startsWith('security-'))
}

t.test('injection strings in every query and path parameter are refused', async (t) => {
  const document = (await test.app.inject({ url: '/docs/json' })).json() as {
    paths: Record<string, Record<string, Operation>>
  }
  const before = await lastPosition(test)
  let attempts = 0

  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const parameters = (operation.parameters ?? [])
        .filter((p) => p.in === 'path' || p.in === 'query')
      for (const target of parameters) {
        for (const attack of INJECTIONS) {
          const url = buildUrl(path, target, attack)
          const response = await test.app.inject({
            method: method.toUpperCase() as Method,
            url,
            headers: admin.auth,
            ...(['post', 'put', 'patch'].includes(method) ? { payload: {} } : {})
          })
          attempts++
          assertRefused(t, response, `${method} ${url}`)
        }
      }
    }
  }

  t.ok(attempts > 100, `${attempts} attempts`)
  t.same(await businessEventsSince(before), [], 'no business event appended')
  const count = await test.database.db.selectFrom('events')
    .select((eb) => eb.fn.countAll().as('n')).executeTakeFirst()
  t.ok(Number(count?.n) > 0, 'the events table is still there')
})

function buildUrl (path: string, target: { in: string, name: string },
  attack: string) {
  const filled = path.replace(/\{(\w+)\}/g, (_match, name: string) =>
    target.in === 'path' && name === target.name
      ? encodeURIComponent(attack)
      : name === 'stream' ? 'events' : VALID_ID)

  return target.in === 'query'
    ? `${filled}?${target.name}=${encodeURIComponent(attack)}`
    : filled
}

t.test('hostile bodies are refused without a 5xx', async (t) => {
  const before = await lastPosition(test)
  const deepArray = '['.repeat(10_000) + ']'.repeat(10_000)
  const deepObject = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000)
  const bodies: [string, string | Buffer][] = [
    ['10k nested arrays', deepArray],
    ['10k nested objects', deepObject],
    ['a megabyte body', JSON.stringify({ email: 'x'.repeat(1_000_000) })],
    ['invalid UTF-8', Buffer.concat([Buffer.from('{"email":"a'),
      Buffer.from([0xed, 0xa0, 0x80, 0xff]), Buffer.from('@b.c"}')])],
    ['a lone surrogate escape', '{"email":"\\ud800@b.c","password":"x"}'],
    ['a NUL in a key', '{"email\\u0000":"a@b.c","password":"x"}'],
    ['a NUL in a value', '{"email":"a@b.c\\u0000","password":"x"}'],
    ['duplicate keys', '{"email":"a@b.c","email":"b@b.c","password":"x"}'],
    ['a huge number', '{"email":"a@b.c","password":' + '9'.repeat(5000) + '}'],
    ['truncated JSON', '{"email":"a@b.c","password":"x'],
    ['an empty body', '']
  ]

  for (const [name, payload] of bodies) {
    for (const url of ['/api/users/register', '/api/orders',
      '/api/products']) {
      const response = await test.app.inject({
        method: 'POST', url, payload,
        headers: { ...admin.auth, 'content-type': 'application/json' }
      })
      assertRefused(t, response, `${name} to ${url}`)
    }
  }

  t.same(await businessEventsSince(before), [])
  const alive = await test.app.inject({ url: '/health/live' })
  t.equal(alive.statusCode, 200, 'still answering')
})

t.test('Host and forwarding headers cannot steer an answer', async (t) => {
  const tricks: Record<string, string>[] = [
    { host: 'evil.example' },
    { 'x-forwarded-host': 'evil.example' },
    { 'x-forwarded-proto': 'javascript', 'x-forwarded-host': 'evil.example' },
    { 'x-original-url': '/api/admin/users', 'x-rewrite-url': '/api/admin/users' },
    { host: 'evil.example:99999' },
    { forwarded: 'for=1.2.3.4;host=evil.example;proto=http' }
  ]

  for (const headers of tricks) {
    for (const url of ['/api/products', '/nowhere', '/docs']) {
      const response = await test.app.inject({ method: 'GET', url, headers })
      t.ok(response.statusCode < 500, `${JSON.stringify(headers)} ${url}`)
      const echoed = JSON.stringify(response.headers) + response.body
      t.notOk(echoed.includes('evil.example'), 'the forged host is not echoed')
    }
    const rewritten = await test.app.inject({ method: 'GET',
      url: '/api/products', headers: { ...headers, ...customer.auth } })
    t.notMatch(rewritten.body, /"email"/, 'no admin listing through a rewrite')
  }
})

t.test('method overrides never change the method', async (t) => {
  const before = await lastPosition(test)
  const overrides = [
    { 'x-http-method-override': 'DELETE' },
    { 'x-http-method': 'DELETE' },
    { 'x-method-override': 'DELETE' }
  ]

  for (const headers of overrides) {
    const read = await test.app.inject({ method: 'GET', url: '/api/users/me',
      headers: { ...customer.auth, ...headers } })
    t.equal(read.statusCode, 200, 'a GET stays a GET')
    const post = await test.app.inject({ method: 'POST', url: '/api/users/me',
      headers: { ...customer.auth, ...headers }, payload: {} })
    t.ok([404, 405].includes(post.statusCode), 'a POST stays a POST')
  }
  for (const url of ['/api/users/me?_method=DELETE',
    '/api/users/me?__method=DELETE']) {
    const read = await test.app.inject({ method: 'GET', url,
      headers: customer.auth })
    t.equal(read.statusCode, 400, `${url} is refused, not obeyed or ignored`)
    t.match(read.json().errors, [{ field: /^querystring\._+method$/ }])
  }
  const form = await test.app.inject({ method: 'POST', url: '/api/users/me',
    headers: { ...customer.auth,
      'content-type': 'application/x-www-form-urlencoded' },
    payload: '_method=DELETE' })
  t.ok(form.statusCode >= 400 && form.statusCode < 500)

  const still = await test.app.inject({ method: 'GET', url: '/api/users/me',
    headers: customer.auth })
  t.equal(still.statusCode, 200, 'the account was not erased')
  t.match(still.json(), { email: customer.email })
  t.same(await businessEventsSince(before), [])
})

t.test('TRACE, CONNECT-like and OPTIONS abuse reflect nothing', async (t) => {
  for (const method of ['TRACE', 'TRACK', 'CONNECT', 'PROPFIND', 'DEBUG']) {
    let response
    try {
      response = await test.app.inject({ method: method as 'GET',
        url: '/api/users/me', headers: customer.auth })
    } catch {
      t.pass(`${method} cannot even be sent`)
      continue
    }
    assertRefused(t, response, method)
    t.notOk(response.body.includes(customer.token), 'the token is not echoed')
  }

  for (const headers of [{}, { origin: 'https://evil.example',
    'access-control-request-method': 'DELETE' },
  { origin: 'https://cloudretail.com', 'access-control-request-method': 'DELETE',
    'access-control-request-headers': 'x-evil, authorization' }]) {
    const response = await test.app.inject({ method: 'OPTIONS',
      url: '/api/users/me', headers })
    t.ok(response.statusCode < 500)
    t.not(response.headers['access-control-allow-origin'], '*')
    t.not(response.headers['access-control-allow-origin'],
      'https://evil.example')
    t.notMatch(String(response.headers['access-control-allow-headers'] ?? ''),
      /x-evil/i, 'requested headers are not reflected')
  }
})

t.test('path traversal reaches nothing outside the API', async (t) => {
  const paths = [
    '/api/products/..%2f..%2f..%2fetc%2fpasswd',
    '/api/products/%2e%2e%2f%2e%2e%2fpackage.json',
    '/api/audit/streams/..%2F..%2Fetc%2Fpasswd/verify',
    `/api/products/${productId}/..%2f..%2f..%2fpackage.json`,
    '/docs/static/../../package.json',
    '/docs/static/..%2f..%2f..%2fpackage.json',
    '/docs/static/%2e%2e/%2e%2e/%2e%2e/package.json',
    '/docs/static/....//....//package.json',
    '/..%2f..%2f..%2fetc%2fpasswd',
    '/.env', '/.git/config', '/debug', '/admin'
  ]

  for (const url of paths) {
    const response = await test.app.inject({ method: 'GET', url,
      headers: admin.auth })
    assertRefused(t, response, url)
    t.notMatch(response.body, /root:x:0|"dependencies"|\[core\]|JWT_SECRET/,
      `${url} reads no file`)
  }
})

t.test('a registration through all of this still works', async (t) => {
  const response = await test.app.inject({ method: 'POST',
    url: '/api/users/register', payload: newRegistration() })

  t.equal(response.statusCode, 201)
})
