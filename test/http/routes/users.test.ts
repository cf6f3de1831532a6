import t from 'tap'

import { buildTestApp, newRegistration, signUp } from '../../helpers/app.ts'

t.test('a shopper registers, logs in and reads their own profile', async (t) => {
  const test = await buildTestApp(t)
  const shopper = await signUp(test)

  const me = await test.app.inject({
    method: 'GET', url: '/api/users/me', headers: shopper.auth
  })

  t.equal(me.statusCode, 200)
  t.equal(me.json().email, shopper.email)
  t.equal(me.json().role, 'customer')
  t.equal(me.json().consent.version, '1.0')
})

t.test('registration without GDPR consent is refused and writes nothing', async (t) => {
  const test = await buildTestApp(t)
  const before = await test.services.store.headPosition()

  const response = await test.app.inject({
    method: 'POST',
    url: '/api/users/register',
    payload: newRegistration({ gdprConsent: false })
  })

  t.equal(response.statusCode, 400)
  t.match(response.headers['content-type'], /application\/problem\+json/)
  t.equal(response.json().errors[0].field, 'body.gdprConsent')
  t.equal(await test.services.store.headPosition(), before)
})

t.test('the OpenAPI document lists the routes with their schemas', async (t) => {
  const test = await buildTestApp(t)

  const response = await test.app.inject({ method: 'GET', url: '/docs/json' })

  t.equal(response.statusCode, 200)
  const document = response.json()
  t.ok(document.paths['/api/users/register'].post.requestBody)
  t.ok(document.paths['/api/orders'].post)
  t.ok(document.components.securitySchemes.bearerAuth)
})
