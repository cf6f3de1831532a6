import t from 'tap'

import {
  buildTestApp,
  newRegistration,
  signUp
} from '../../helpers/app.ts'
import { eventsAfter, lastPosition } from '../../helpers/event-log.ts'

const PROBLEM = /^application\/problem\+json/

const test = await buildTestApp(t)
const shopper = await signUp(test)
const admin = await signUp(test, 'admin')

const register = (payload: Record<string, unknown>) => test.app.inject({
  method: 'POST', url: '/api/users/register', payload
})

const logIn = (email: string, password: string) => test.app.inject({
  method: 'POST', url: '/api/users/login', payload: { email, password }
})

const readMe = (auth: { authorization: string }) => test.app.inject({
  method: 'GET', url: '/api/users/me', headers: auth
})

t.test('a wrong password and an unknown email get the same 401', async (t) => {
  const wrong = await logIn(shopper.email, 'Not-The-Password-1')
  const unknown = await logIn('nobody.here@example.com', shopper.password)

  for (const response of [wrong, unknown]) {
    t.equal(response.statusCode, 401)
    t.match(response.headers['content-type'], PROBLEM)
    t.match(response.headers['www-authenticate'], /^Bearer\b/)
  }
  const shape = (body: Record<string, unknown>) => ({
    code: body.code, detail: body.detail, title: body.title,
    keys: Object.keys(body).sort()
  })
  t.same(shape(wrong.json()), shape(unknown.json()))
})

t.test('an email taken in any case or width is a conflict', async (t) => {
  const [local, domain] = shopper.email.split('@') as [string, string]
  const spellings = [
    shopper.email.toUpperCase(),
    `  ${shopper.email}  `.trim(),
    // Full-width first letter, which NFKC folds to its ASCII twin.
    String.fromCodePoint(local.codePointAt(0)! - 0x41 + 0xff21) +
      `${local.slice(1)}@${domain}`
  ]
  const before = await lastPosition(test)

  for (const email of spellings) {
    const response = await register(newRegistration({ email }))
    t.equal(response.statusCode, 409, email)
    t.match(response.headers['content-type'], PROBLEM)
    t.equal(response.json().errors?.[0]?.field, 'body.email')
  }
  t.equal(await lastPosition(test), before, 'nothing appended')
})

t.test('a full-width spelling of an email logs in to the account', async (t) => {
  const [local, domain] = shopper.email.split('@') as [string, string]
  const wide = [...local].map((c) => /[a-z]/.test(c)
    ? String.fromCodePoint(c.codePointAt(0)! - 0x61 + 0xff41)
    : c).join('') + `@${domain}`

  const response = await logIn(wide, shopper.password)

  t.equal(response.statusCode, 200)
  t.equal(response.json().user.userId, shopper.userId)
})

t.test('a role in the registration body is refused, naming body.role', async (t) => {
  const before = await lastPosition(test)

  const response = await register(newRegistration({ role: 'admin' }))

  t.equal(response.statusCode, 400)
  t.match(response.headers['content-type'], PROBLEM)
  t.same(response.json().errors.map((e: { field: string }) => e.field),
    ['body.role'])
  t.same((await eventsAfter(test, before)).map((e) => e.type),
    ['PrivilegeEscalationAttempted'], 'no account, only the attempt')
})

t.test('a customer cannot change roles', async (t) => {
  const response = await test.app.inject({
    method: 'PUT',
    url: `/api/admin/users/${shopper.userId}/role`,
    headers: shopper.auth,
    payload: { role: 'admin' }
  })

  t.equal(response.statusCode, 403)
  t.match(response.headers['content-type'], PROBLEM)
  t.equal((await readMe(shopper.auth)).json().role, 'customer')
})

t.test('an admin\'s role change takes effect and closes the user\'s sessions', async (t) => {
  const user = await signUp(test)

  const response = await test.app.inject({
    method: 'PUT',
    url: `/api/admin/users/${user.userId}/role`,
    headers: admin.auth,
    payload: { role: 'vendor' }
  })

  t.equal(response.statusCode, 200)
  t.match(response.json(), { userId: user.userId, role: 'vendor' })
  t.match(response.json().position, /^[0-9]+$/)
  const old = await readMe(user.auth)
  t.equal(old.statusCode, 401, 'the old token is refused')
  t.match(old.headers['www-authenticate'], /^Bearer\b/)

  const again = await logIn(user.email, user.password)
  t.equal(again.json().user.role, 'vendor')
  const listed = await test.app.inject({
    method: 'POST',
    url: '/api/products',
    headers: { authorization: `Bearer ${again.json().token as string}` },
    payload: { sku: `ROLE-${Date.now()}`, title: 'Now selling',
      description: 'x', category: 'testing', priceCents: 1, stock: 1 }
  })
  t.equal(listed.statusCode, 201, 'the new role works at once')

  const users = await test.app.inject({
    method: 'GET',
    url: '/api/admin/users?role=vendor',
    headers: { ...admin.auth, 'x-min-position': response.json().position }
  })
  t.ok(users.json().items.some(
    (u: { userId: string }) => u.userId === user.userId))
})

t.test('logout closes the session and only that one', async (t) => {
  const user = await signUp(test)
  const second = await logIn(user.email, user.password)
  const secondAuth = { authorization: `Bearer ${second.json().token as string}` }

  const out = await test.app.inject({
    method: 'POST', url: '/api/users/logout', headers: user.auth
  })

  t.equal(out.statusCode, 204)
  t.equal((await readMe(user.auth)).statusCode, 401)
  t.equal((await readMe(secondAuth)).statusCode, 200)
})

t.test('a token signed with another secret or altered is refused', async (t) => {
  const [header, payload, signature] = shopper.token.split('.') as
    [string, string, string]
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString())
  const forged = Buffer.from(JSON.stringify({ ...claims, role: 'admin' }))
    .toString('base64url')

  for (const token of [`${header}.${forged}.${signature}`, 'abc',
    `${header}.${payload}.`]) {
    const response = await readMe({ authorization: `Bearer ${token}` })
    t.equal(response.statusCode, 401)
  }
  t.equal((await readMe({ authorization: '' })).statusCode, 401)
})
