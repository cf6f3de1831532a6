/**
 * Which tier each route is in, that each tier's limits are the security
 * architecture's numbers, and that the app refuses the request after the
 * 15-minute limit of every tier, counted from one client address.
 */
import t, { type Test } from 'tap'

import {
  RATE_LIMIT_TIERS,
  tierOfPath
} from '../../../src/http/rate-limit/rate-limit-tiers.ts'
import { buildTestApp, type TestApp } from '../../helpers/app.ts'
import { statusesOf } from '../../helpers/rate-limit.ts'

const POLICIES = {
  public: '200;w=900, 800;w=3600, 10000;w=86400',
  authenticated: '100;w=900, 400;w=3600, 5000;w=86400',
  login: '5;w=900, 20;w=3600, 100;w=86400',
  payment: '5;w=900, 20;w=3600, 100;w=86400',
  admin: '500;w=900, 2000;w=3600, 20000;w=86400',
  integration: '1000;w=900, 4000;w=3600, 50000;w=86400'
}

/** The app with the architecture's limits, nobody exempt, and a route
 * declaring the payment tier (no payment route exists yet). */
async function buildLimitedApp (t: Test) {
  const test = await buildTestApp(t, { rateLimit: {} })
  test.app.post('/api/test/payments', {
    config: { rateLimitTier: 'payment' }
  }, async () => ({ paid: true }))

  return test
}

t.test('each tier allows the architecture\'s requests per 15 minutes, hour and day',
  async (t) => {
    t.same(RATE_LIMIT_TIERS, {
      public: [200, 800, 10_000],
      authenticated: [100, 400, 5_000],
      login: [5, 20, 100],
      payment: [5, 20, 100],
      admin: [500, 2_000, 20_000],
      integration: [1_000, 4_000, 50_000]
    })

    const test = await buildLimitedApp(t)
    const routes: [string, string, keyof typeof POLICIES][] = [
      ['GET', '/api/products', 'public'],
      ['GET', '/api/products/not-an-id', 'public'],
      ['GET', '/docs/json', 'public'],
      ['GET', '/no/such/route', 'public'],
      ['GET', '/api/users/me', 'authenticated'],
      ['GET', '/api/orders', 'authenticated'],
      ['POST', '/api/orders', 'authenticated'],
      ['POST', '/api/users/login', 'login'],
      ['POST', '/api/users/register', 'login'],
      ['POST', '/api/test/payments', 'payment'],
      ['GET', '/api/admin/users', 'admin'],
      ['GET', '/api/audit/events', 'admin'],
      ['GET', '/api/webhooks/products', 'integration'],
      ['POST', '/api/webhooks/orders', 'integration']
    ]
    for (const [method, url, tier] of routes) {
      const response = await test.app.inject({ method: method as 'GET', url,
        remoteAddress: '198.51.100.1', ...(method === 'POST'
          ? { payload: {} }
          : {}) })
      t.equal(response.headers['ratelimit-policy'], POLICIES[tier],
        `${method} ${url} is in the ${tier} tier`)
    }
  })

t.test('health probes are never limited and carry no rate-limit headers',
  async (t) => {
    const test = await buildLimitedApp(t)
    const statuses = await statusesOf(250, () => test.app.inject({
      url: '/health/live', remoteAddress: '198.51.100.2' }))

    t.same(new Set(statuses), new Set([200]))
    const ready = await test.app.inject({ url: '/health/ready',
      remoteAddress: '198.51.100.2' })
    t.equal(ready.headers['ratelimit-policy'], undefined)
  })

t.test('paths decide the tier when the route declares none', async (t) => {
  t.equal(tierOfPath('GET', '/api/products/:id'), 'public')
  t.equal(tierOfPath('HEAD', '/api/products'), 'public')
  t.equal(tierOfPath('POST', '/api/products'), 'authenticated')
  t.equal(tierOfPath('PATCH', '/api/products/:id'), 'authenticated')
  t.equal(tierOfPath('POST', '/api/users/login'), 'login')
  t.equal(tierOfPath('POST', '/api/users/login/two-factor'), 'login',
    'a later 2FA step of the login is the login tier')
  t.equal(tierOfPath('POST', '/api/users/register'), 'login')
  t.equal(tierOfPath('POST', '/api/users/logout'), 'authenticated')
  t.equal(tierOfPath('GET', '/api/admin/projections'), 'admin')
  t.equal(tierOfPath('GET', '/api/audit/streams/:stream/verify'), 'admin')
  t.equal(tierOfPath('GET', '/api/administrator'), 'authenticated',
    'a prefix is a whole path segment')
  t.equal(tierOfPath('GET', '/health/live'), undefined)
  t.equal(tierOfPath('GET', '/metrics'), undefined)
  t.equal(tierOfPath('GET', '/metricsx'), 'public')
  t.equal(tierOfPath('GET', '/docs/static/index.html'), 'public')
})

t.test('every tier refuses the request after its 15-minute limit', async (t) => {
  const test = await buildLimitedApp(t)
  const cases: [string, string, number][] = [
    ['GET', '/api/products/not-an-id', 200],
    ['GET', '/api/users/me', 100],
    ['POST', '/api/users/login', 5],
    ['POST', '/api/test/payments', 5],
    ['GET', '/api/admin/users', 500]
  ]
  let client = 10
  for (const [method, url, limit] of cases) {
    const address = `198.51.100.${client++}`
    const statuses = await statusesOf(limit + 1, () => send(test, method, url,
      address))

    t.notOk(statuses.slice(0, limit).includes(429),
      `${method} ${url}: the first ${limit} pass`)
    t.equal(statuses[limit], 429, `${method} ${url}: request ${limit + 1} is refused`)
    const other = await send(test, method, url, `198.51.100.${client++}`)
    t.not(other.statusCode, 429, `${method} ${url}: another client is not`)
  }
})

async function send (test: TestApp, method: string, url: string,
  address: string) {
  return await test.app.inject({ method: method as 'GET', url,
    remoteAddress: address, ...(method === 'POST' ? { payload: {} } : {}) })
}
