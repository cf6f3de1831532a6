import t from 'tap'

import { registerUser } from '../../../src/commands/users/register-user.ts'
import { DomainError } from '../../../src/commands/command-errors.ts'
import { securityAccountStream } from '../../../src/commands/security/security-events.ts'
import {
  buildTestApp,
  newRegistration,
  signUp,
  type SignedIn
} from '../../helpers/app.ts'
import { eventsAfter, lastPosition } from '../../helpers/event-log.ts'

const PROBLEM = /^application\/problem\+json/

const test = await buildTestApp(t)

const register = (payload: Record<string, unknown>) => test.app.inject({
  method: 'POST', url: '/api/users/register', payload
})
const logIn = (email: string, password: string) => test.app.inject({
  method: 'POST', url: '/api/users/login', payload: { email, password }
})
const readMe = (auth: { authorization: string }) => test.app.inject({
  method: 'GET', url: '/api/users/me', headers: auth
})
const changePassword = (
  auth: { authorization: string } | Record<string, never>,
  payload: Record<string, unknown>
) => test.app.inject({
  method: 'POST', url: '/api/users/me/password', headers: auth, payload
})
const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

t.test('registration refuses each weak password with a 400 naming body.password', async (t) => {
  const cases: Array<[string, RegExp]> = [
    ['Short-1a', /at least 12 characters/],
    ['lowercase-only-and-1', /an upper-case letter/],
    ['UPPERCASE-ONLY-AND-1', /a lower-case letter/],
    ['No-Digits-Anywhere', /a digit/],
    ['NoSpecials1234', /a special character/],
    ['P030710p$e4o', /a commonly used password/],
    ['Nick1234-REM936', /a commonly used password/],
    ['Lovelace-Rules-1', /your last name/]
  ]
  const before = await lastPosition(test)

  for (const [password, detail] of cases) {
    const response = await register(newRegistration({ password }))
    t.equal(response.statusCode, 400, password)
    t.match(response.headers['content-type'], PROBLEM)
    const body = response.json()
    t.equal(body.code, 'CR_ERR_USER_PASSWORD_WEAK')
    t.same(body.errors.map((e: { field: string }) => e.field),
      ['body.password'])
    t.match(body.detail, detail, password)
    t.notOk(response.body.includes(password), 'the password is not echoed')
  }
  t.equal(await lastPosition(test), before, 'nothing appended')

  const fine = await register(newRegistration({ password: 'Analytic-Engine-1843' }))
  t.equal(fine.statusCode, 201)
})

t.test('registration refuses the email local part, username and names in any case', async (t) => {
  const body = newRegistration({ firstName: 'Grace', lastName: 'Hopper' })
  const local = body.email.split('@')[0]!
  const cases: Array<[string, string]> = [
    [`X1!${local.toUpperCase()}`, 'your email address'],
    [`Zz9#${body.username.toUpperCase()}`, 'your username'],
    ['Amazing-GRACE-99', 'your first name'],
    ['Grasshopper-Jump-7', 'your last name']
  ]
  for (const [password, named] of cases) {
    const response = await register({ ...body, password })
    t.equal(response.statusCode, 400, named)
    t.match(response.json().detail, named)
    t.notOk(response.body.toLowerCase().includes(password.toLowerCase()))
  }
})

t.test('a password over 72 UTF-8 bytes is refused, never truncated', async (t) => {
  // 27 characters, 73 bytes: the euro sign takes three.
  const password = `Aa1!${'€'.repeat(23)}`
  const before = await lastPosition(test)

  const response = await register(newRegistration({ password }))

  t.equal(response.statusCode, 400)
  t.equal(response.json().code, 'CR_ERR_USER_PASSWORD_TOO_LONG')
  t.same(response.json().errors[0].field, 'body.password')
  t.equal(await lastPosition(test), before)
})

t.test('a login never matches on the first 72 bytes of a longer password', async (t) => {
  // 72 bytes exactly: the longest password bcrypt reads in full.
  const password = `Aa1!${'€'.repeat(22)}zz`
  const registration = newRegistration({ password })
  t.equal((await register(registration)).statusCode, 201)
  const logIn = (candidate: string) => test.app.inject({ method: 'POST',
    url: '/api/users/login',
    payload: { email: registration.email, password: candidate } })

  t.equal((await logIn(password)).statusCode, 200)
  for (const longer of [`${password}X`, `${password}€`]) {
    t.equal((await logIn(longer)).statusCode, 401,
      'a truncating check would have let this in')
  }
})

t.test('the CLI admin bootstrap applies the same policy', async (t) => {
  const before = await lastPosition(test)
  const attempt = registerUser(test.services, {
    actor: { kind: 'cli', id: 'operator' },
    correlationId: 'cli-test',
    client: {}
  }, newRegistration({ password: 'adminadmin' }), 'admin')

  const error = await attempt.catch((e: unknown) => e)
  t.ok(error instanceof DomainError)
  t.match(error, { category: 'invalid', code: 'CR_ERR_USER_PASSWORD_WEAK',
    field: 'body.password' })
  t.equal(await lastPosition(test), before)
})

t.test('changing the password keeps this session and ends every other one', async (t) => {
  const user = await signUp(test)
  const other = bearer((await logIn(user.email, user.password)).json().token)
  const third = bearer((await logIn(user.email, user.password)).json().token)
  const stranger = await signUp(test)
  const newPassword = 'Fresh-Turnip-Lantern-42'
  const before = await lastPosition(test)

  const response = await changePassword(user.auth,
    { currentPassword: user.password, newPassword })

  t.equal(response.statusCode, 204)
  t.equal((await readMe(user.auth)).statusCode, 200, 'this session works')
  for (const auth of [other, third]) {
    const refused = await readMe(auth)
    t.equal(refused.statusCode, 401, 'another session is closed')
    t.match(refused.headers['www-authenticate'], /^Bearer\b/)
  }
  t.equal((await readMe(stranger.auth)).statusCode, 200,
    'other people keep their sessions')
  t.equal((await logIn(user.email, user.password)).statusCode, 401,
    'the old password no longer works')
  t.equal((await logIn(user.email, newPassword)).statusCode, 200)

  const appended = (await eventsAfter(test, before))
    .filter((e) => e.stream_id === `user-${user.userId}`)
  t.same(appended.map((e) => e.type), ['UserPasswordChanged', 'UserLoggedIn'])
  const stored = JSON.stringify(appended[0]!.data)
  t.notMatch(stored, /\$2[aby]\$/, 'the new hash is stored encrypted')
  t.notOk(stored.includes(newPassword))
})

t.test('a wrong current password is a 403 that changes nothing and is recorded', async (t) => {
  const user = await signUp(test)
  const other = bearer((await logIn(user.email, user.password)).json().token)
  const before = await lastPosition(test)

  const response = await changePassword(user.auth, {
    currentPassword: 'Not-The-Password-1', newPassword: 'Fresh-Turnip-Lantern-42'
  })

  t.equal(response.statusCode, 403)
  t.match(response.headers['content-type'], PROBLEM)
  t.equal(response.json().code, 'CR_ERR_USER_WRONG_PASSWORD')
  t.notOk(response.body.includes('Not-The-Password-1'))
  t.notOk(response.body.includes('Fresh-Turnip'))
  t.notMatch(response.body, /bcrypt|\$2b\$|stack/i)
  t.equal((await readMe(other)).statusCode, 200, 'no session was closed')
  t.equal((await logIn(user.email, user.password)).statusCode, 200,
    'the password is unchanged')

  const appended = await eventsAfter(test, before)
  const refusals = appended.filter((e) => e.type === 'PasswordChangeFailed')
  t.same(refusals.map((e) => e.stream_id).sort(), [
    securityAccountStream(user.userId),
    `security-login-${new Date().toISOString().slice(0, 10)}`
  ].sort())
  t.notOk(appended.some((e) => e.stream_id === `user-${user.userId}` &&
    e.type === 'UserPasswordChanged'))
})

t.test('a weak new password is a 400 naming body.newPassword', async (t) => {
  const user: SignedIn = await signUp(test)
  const before = await lastPosition(test)

  for (const newPassword of ['short', 'Ada-Lovelace-1843', 'P030710p$e4o',
    `Aa1!${'€'.repeat(23)}`]) {
    const response = await changePassword(user.auth,
      { currentPassword: user.password, newPassword })
    t.equal(response.statusCode, 400, newPassword)
    t.same(response.json().errors.map((e: { field: string }) => e.field),
      ['body.newPassword'])
    t.notOk(response.body.includes(newPassword))
  }
  t.equal(await lastPosition(test), before, 'nothing appended')
})

t.test('a password change needs a session and a well-formed body', async (t) => {
  const user = await signUp(test)
  const body = { currentPassword: user.password,
    newPassword: 'Fresh-Turnip-Lantern-42' }

  t.equal((await changePassword({}, body)).statusCode, 401)
  const extra = await changePassword(user.auth,
    { ...body, userId: '00000000-0000-4000-8000-000000000000' })
  t.equal(extra.statusCode, 400)
  t.same(extra.json().errors.map((e: { field: string }) => e.field),
    ['body.userId'])
  const missing = await changePassword(user.auth,
    { newPassword: body.newPassword })
  t.equal(missing.statusCode, 400)
  t.equal((await logIn(user.email, user.password)).statusCode, 200)
})
