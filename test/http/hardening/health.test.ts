/**
 * Liveness and readiness as a kubelet sees them: ready only while every
 * configured engine answers, within a bounded time, naming the engine that
 * failed and never why.
 */
import t from 'tap'

import { loadConfig } from '../../../src/config/load-config.ts'
import { PROBE_TIMEOUT_MS } from '../../../src/http/routes/health/health-routes.ts'
import { startServer } from '../../../src/http/server.ts'
import { buildTestApp } from '../../helpers/app.ts'
import { createServerEnv } from '../../helpers/server-env.ts'

const TEST_REDIS_URL = process.env.TEST_REDIS_URL || undefined

t.test('a healthy app is live and ready, with each engine checked', async (t) => {
  const test = await buildTestApp(t)

  const live = await test.app.inject({ method: 'GET', url: '/health/live' })
  const ready = await test.app.inject({ method: 'GET', url: '/health/ready' })

  t.equal(live.statusCode, 200)
  t.same(live.json(), { status: 'ok' })
  t.equal(ready.statusCode, 200)
  t.same(ready.json(), { status: 'ok',
    checks: { database: true, eventStore: true } })
})

t.test('an engine that fails makes the app unready, naming only the engine', async (t) => {
  const test = await buildTestApp(t, {}, {
    readinessProbes: {
      redis: () => Promise.reject(new Error('connect ECONNREFUSED 10.9.8.7:6379 password=hunter2'))
    }
  })

  const ready = await test.app.inject({ method: 'GET', url: '/health/ready' })

  t.equal(ready.statusCode, 503)
  t.same(ready.json(), { status: 'unavailable',
    checks: { database: true, eventStore: true, redis: false } })
  t.notMatch(ready.body, /ECONNREFUSED|10\.9\.8\.7|hunter2/, 'no cause leaks')
  const live = await test.app.inject({ method: 'GET', url: '/health/live' })
  t.equal(live.statusCode, 200, 'the process is still live: no restart loop')
})

t.test('an engine that hangs is unready within the probe timeout', async (t) => {
  const test = await buildTestApp(t, {}, {
    readinessProbes: { redis: () => new Promise(() => undefined) }
  })

  const started = Date.now()
  const ready = await test.app.inject({ method: 'GET', url: '/health/ready' })
  const took = Date.now() - started

  t.equal(ready.statusCode, 503)
  t.equal(ready.json().checks.redis, false)
  t.ok(took < PROBE_TIMEOUT_MS * 3, `answered after ${took} ms`)
})

t.test('the server started with REDIS_URL checks Redis too', {
  skip: TEST_REDIS_URL === undefined ? 'TEST_REDIS_URL is not set' : false
}, async (t) => {
  const target = await createServerEnv(t)
  const server = await startServer(loadConfig(
    target.env({ REDIS_URL: TEST_REDIS_URL! }), () => undefined))
  t.teardown(() => server.stop())

  const ready = await server.app.inject({ method: 'GET', url: '/health/ready' })

  t.equal(ready.statusCode, 200)
  t.same(ready.json().checks, { database: true, eventStore: true, redis: true })
})
