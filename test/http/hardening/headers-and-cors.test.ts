import t, { type Test } from 'tap'
import type { InjectOptions, LightMyRequestResponse } from 'fastify'

import { buildTestApp, signUp } from '../../helpers/app.ts'
import { newProduct } from '../../helpers/catalogue.ts'

const GDPR = {
  region: 'EU-West (Ireland)',
  privacyPolicy: 'https://shop.example/privacy',
  controller: 'Example Retail GmbH'
}
const ALLOWED = 'https://cloudretail.com'
const test = await buildTestApp(t, { gdprHeaders: GDPR })
const customer = await signUp(test)

const EXPECTED_CSP = ["default-src 'self'", "style-src 'self' 'unsafe-inline'",
  "script-src 'self'", "img-src 'self' data: https:", "connect-src 'self'",
  "font-src 'self'", "object-src 'none'", "media-src 'self'",
  "frame-src 'none'", "frame-ancestors 'none'"]

function assertSecurityHeaders (t: Test, response: LightMyRequestResponse) {
  const csp = String(response.headers['content-security-policy'])
  const directives = csp.split(';').map((d) => d.trim()).filter(Boolean)
  t.same(directives.sort(), [...EXPECTED_CSP].sort(), 'exact CSP directives')
  t.equal(response.headers['strict-transport-security'],
    'max-age=31536000; includeSubDomains; preload')
  t.equal(response.headers['x-frame-options'], 'DENY')
  t.equal(response.headers['x-content-type-options'], 'nosniff')
  t.equal(response.headers['referrer-policy'],
    'strict-origin-when-cross-origin')
  t.equal(response.headers['x-data-processing-region'], GDPR.region)
  t.equal(response.headers['x-privacy-policy'], GDPR.privacyPolicy)
  t.equal(response.headers['x-data-controller'], GDPR.controller)
  t.match(response.headers['x-correlation-id'], /^[\w.:-]{8,128}$/)
}

t.test('API answers are not cached: tokens, profiles and orders', async (t) => {
  const login = await test.app.inject({ method: 'POST',
    url: '/api/users/login',
    payload: { email: customer.email, password: customer.password } })
  const me = await test.app.inject({ method: 'GET', url: '/api/users/me',
    headers: customer.auth })
  const refused = await test.app.inject({ method: 'GET', url: '/api/users/me' })

  for (const [name, response] of [['login', login], ['profile', me],
    ['refusal', refused]] as const) {
    t.equal(response.headers['cache-control'], 'no-store', name)
  }
})

t.test('every kind of response carries the security and GDPR headers', async (t) => {
  const cases: [string, InjectOptions, number][] = [
    ['a success', { method: 'GET', url: '/api/products' }, 200],
    ['a 201', { method: 'POST', url: '/api/users/login', payload: {
      email: customer.email, password: customer.password } }, 200],
    ['a 400', { method: 'GET', url: '/api/products?limit=0' }, 400],
    ['a 401', { method: 'GET', url: '/api/users/me' }, 401],
    ['a 403', { method: 'POST', url: '/api/products', headers: customer.auth,
      payload: newProduct() }, 403],
    ['a 404', { method: 'GET', url: '/nowhere' }, 404],
    ['a 413', { method: 'POST', url: '/api/users/login',
      payload: { email: 'a@b.c', password: 'x'.repeat(70_000) } }, 413],
    ['a 415', { method: 'POST', url: '/api/users/login',
      headers: { 'content-type': 'text/plain' }, payload: '{}' }, 415],
    ['an undecodable path', { method: 'GET', url: '/api/products/%E0%A4%A' },
      400],
    ['the OpenAPI UI', { method: 'GET', url: '/docs' }, 200],
    ['the OpenAPI document', { method: 'GET', url: '/docs/json' }, 200],
    ['a liveness probe', { method: 'GET', url: '/health/live' }, 200],
    ['a preflight', { method: 'OPTIONS', url: '/api/products', headers: {
      origin: ALLOWED, 'access-control-request-method': 'POST' } }, 204]
  ]

  for (const [name, request, status] of cases) {
    const response = await test.app.inject(request)
    t.test(name, async (t) => {
      t.equal(response.statusCode, status, response.body.slice(0, 200))
      assertSecurityHeaders(t, response)
    })
  }
})

t.test('an allowed origin gets credentials and the exposed correlation id', async (t) => {
  const response = await test.app.inject({
    method: 'GET', url: '/api/products', headers: { origin: ALLOWED }
  })

  t.equal(response.headers['access-control-allow-origin'], ALLOWED)
  t.equal(response.headers['access-control-allow-credentials'], 'true')
  t.match(response.headers['access-control-expose-headers'],
    /^X-Correlation-ID$/i)
  t.match(response.headers.vary, /Origin/)
})

t.test('a preflight from an allowed origin is cached for a day', async (t) => {
  const response = await test.app.inject({
    method: 'OPTIONS',
    url: '/api/orders',
    headers: {
      origin: ALLOWED,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type,authorization'
    }
  })

  t.equal(response.statusCode, 204)
  t.equal(response.headers['access-control-allow-origin'], ALLOWED)
  t.equal(response.headers['access-control-allow-methods'],
    'GET, POST, PUT, DELETE, PATCH')
  t.equal(response.headers['access-control-allow-headers'],
    'Content-Type, Authorization, X-Correlation-ID')
  t.equal(response.headers['access-control-max-age'], '86400')
  t.equal(response.headers['access-control-allow-credentials'], 'true')
})

t.test('no other origin ever gets Access-Control-Allow-Origin', async (t) => {
  const origins = ['https://evil.com', 'https://cloudretail.com.evil.com',
    'https://evilcloudretail.com', 'http://cloudretail.com',
    'https://cloudretail.com.', 'https://CLOUDRETAIL.com',
    'https://cloudretail.com:8443', 'https://cloudretail.com/',
    'https://sub.cloudretail.com', 'null', '*', '']

  for (const origin of origins) {
    for (const request of [
      { method: 'GET' as const, url: '/api/products', headers: { origin } },
      { method: 'OPTIONS' as const, url: '/api/products', headers: {
        origin, 'access-control-request-method': 'GET' } },
      { method: 'POST' as const, url: '/api/users/login', headers: { origin },
        payload: { email: customer.email, password: customer.password } }
    ]) {
      const response = await test.app.inject(request)
      t.notOk(response.headers['access-control-allow-origin'],
        `${request.method} from ${JSON.stringify(origin)}`)
      t.notOk(response.headers['access-control-allow-credentials'])
      t.not(response.statusCode, 500)
    }
  }
})
