import t from 'tap'

import { buildTestApp, signUp } from '../../helpers/app.ts'
import { assertProblem } from '../../helpers/hardening.ts'

const TOKEN = 'metrics-token-for-tests-0123456789'
const test = await buildTestApp(t, { metricsToken: TOKEN })
await signUp(test)

t.test('metrics are refused without the metrics token', async (t) => {
  for (const authorization of [undefined, 'Bearer wrong-token',
    `Bearer ${TOKEN}x`, TOKEN, `Basic ${TOKEN}`]) {
    const response = await test.app.inject({
      method: 'GET', url: '/metrics',
      headers: authorization === undefined ? {} : { authorization }
    })
    assertProblem(t, response, 401)
    t.notMatch(response.body, /http_requests_total/)
  }
})

t.test('requests are counted by route pattern and status, with store and projection figures', async (t) => {
  const productId = '00000000-0000-4000-8000-00000000abcd'
  await test.app.inject({ method: 'GET', url: `/api/products/${productId}` })
  await test.app.inject({ method: 'GET', url: '/api/products/not-an-id' })

  const response = await test.app.inject({
    method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` }
  })

  t.equal(response.statusCode, 200)
  t.match(response.headers['content-type'], /^text\/plain/)
  const text = response.body
  t.match(text, /http_requests_total\{method="GET",route="\/api\/products\/:id",status_code="404"\} 1/)
  t.match(text, /http_requests_total\{method="GET",route="\/api\/products\/:id",status_code="400"\} 1/)
  t.match(text, /http_requests_total\{method="POST",route="\/api\/users\/register",status_code="201"\} 1/)
  t.match(text, /http_request_duration_seconds_bucket\{le="0\.5",method="GET",route="\/api\/products\/:id"/)
  t.notOk(text.includes(productId), 'no raw ids in labels')
  t.match(text, /cloudretail_event_store_head_position [1-9]/)
  t.match(text, /cloudretail_projection_lag_positions\{projection="users"\} \d+/)
  t.match(text, /process_cpu_user_seconds_total/)
})

t.test('without a metrics token there is no /metrics route', async (t) => {
  const plain = await buildTestApp(t)

  const response = await plain.app.inject({ method: 'GET', url: '/metrics' })

  assertProblem(t, response, 404)
})
