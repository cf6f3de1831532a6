import t from 'tap'

import { buildLogger } from '../../../src/http/logger.ts'
import { buildTestApp, newRegistration } from '../../helpers/app.ts'
import { eventsAfter, lastPosition } from '../../helpers/event-log.ts'
import { CapturedLog } from '../../helpers/hardening.ts'

const log = new CapturedLog()
const test = await buildTestApp(t, { logger: buildLogger('debug', log) })
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

function linesOf (correlationId: string) {
  return log.lines().filter((line) => line.correlationId === correlationId)
}

t.test('a well-formed correlation id is echoed, stored in the event and on every log line', async (t) => {
  const id = 'checkout-2026.02.01:abc_123'
  const before = await lastPosition(test)

  const response = await test.app.inject({
    method: 'POST',
    url: '/api/users/register',
    headers: { 'x-correlation-id': id },
    payload: newRegistration()
  })

  t.equal(response.statusCode, 201)
  t.equal(response.headers['x-correlation-id'], id)
  const events = await eventsAfter(test, before)
  t.ok(events.length > 0)
  for (const event of events) {
    t.equal((event.metadata as { correlationId: string }).correlationId, id)
  }
  const lines = linesOf(id)
  t.equal(lines.length, 1, 'one line for the request')
  t.match(lines[0], { msg: 'request completed', method: 'POST',
    url: '/api/users/register', route: '/api/users/register',
    statusCode: 201, durationMs: Number, level: 30 })
  t.notOk(log.text.includes('incoming request'))
})

t.test('a malformed correlation id is replaced by a generated one', async (t) => {
  const malformed = ['x'.repeat(129), 'has spaces in it', 'short',
    'ünïcödé-correlation', '<script>alert(1)</script>',
    'abc123456\r\nX-Injected: yes', 'abc123456\nforged log line',
    'id-with-"quote"-123', '../../etc/passwd']

  for (const value of malformed) {
    log.clear()
    let response
    try {
      response = await test.app.inject({
        method: 'GET',
        url: '/api/products',
        headers: { 'x-correlation-id': value }
      })
    } catch (error) {
      // The HTTP layer itself refuses header values it cannot carry.
      t.match(String(error), /invalid|character/i, 'refused before the app')
      continue
    }
    const echoed = String(response.headers['x-correlation-id'])
    t.match(echoed, UUID, `${JSON.stringify(value)} replaced`)
    t.notOk(response.headers['x-injected'])
    t.equal(linesOf(echoed).length, 1)
    t.notOk(log.text.includes(value), 'the malformed value is not logged')
  }
})

t.test('two headers or none yield a generated id', async (t) => {
  const twice = await test.app.inject({
    method: 'GET', url: '/api/products',
    headers: { 'x-correlation-id': ['first-id-1234', 'second-id-5678'] }
  })
  const none = await test.app.inject({ method: 'GET', url: '/api/products' })

  t.match(twice.headers['x-correlation-id'], UUID)
  t.match(none.headers['x-correlation-id'], UUID)
})

t.test('each request is one line, at info for 2xx and 4xx and at error for 5xx', async (t) => {
  const store = test.services.store
  const append = store.append.bind(store)
  t.teardown(() => { store.append = append })
  store.append = async () => { throw new Error('the disk is on fire') }

  const cases = [
    { url: '/api/products', status: 200, level: 30 },
    { url: '/api/products?limit=0', status: 400, level: 30 },
    { url: '/nowhere', status: 404, level: 30 },
    { url: '/api/users/register', status: 500, level: 50, method: 'POST' }
  ]
  for (const { url, status, level, method } of cases) {
    const id = `level-test-${status}-x`
    const response = await test.app.inject({
      method: (method ?? 'GET') as 'GET' | 'POST',
      url,
      headers: { 'x-correlation-id': id },
      ...(method === 'POST' ? { payload: newRegistration() } : {})
    })
    t.equal(response.statusCode, status, url)
    const lines = linesOf(id)
    t.equal(lines.length, 1, `one line for ${status}`)
    t.match(lines[0], { level, statusCode: status, msg: 'request completed' })
    if (status >= 400) t.match(lines[0], { code: /^CR_ERR_/ })
    if (status >= 500) {
      t.match(lines[0], { err: { type: 'Error',
        message: 'the disk is on fire', stack: String } })
    }
  }
})
