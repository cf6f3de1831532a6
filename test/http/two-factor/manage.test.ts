import t from 'tap'

import { securityAccountStream } from '../../../src/commands/security/security-events.ts'
import { buildTestApp, signUp } from '../../helpers/app.ts'
import { lastPosition } from '../../helpers/event-log.ts'
import {
  codeAt,
  enableTwoFactor,
  passwordStep,
  secondStep,
  useFakeClock,
  type TwoFactorUser
} from '../../helpers/two-factor.ts'

const test = await buildTestApp(t)
const clock = useFakeClock(test)

async function newTwoFactorUser (): Promise<TwoFactorUser> {
  const user = await enableTwoFactor(test, clock, await signUp(test))
  clock.advance(30)

  return user
}

const post = (url: string, user: TwoFactorUser,
  payload: Record<string, unknown>) =>
  test.app.inject({ method: 'POST', url, headers: user.auth, payload })

const staleCode = (user: TwoFactorUser) =>
  codeAt(user.secret, new Date(clock.now().getTime() - 600_000))

async function accessDenials (userId: string) {
  return (await test.services.store.readStream(securityAccountStream(userId)))
    .filter((event) => event.type === 'AccessDenied')
}

t.test('regenerating replaces all ten backup codes: old ones stop working', async (t) => {
  const user = await newTwoFactorUser()

  const response = await post('/api/users/me/2fa/backup-codes', user,
    { code: codeAt(user.secret, clock.now()) })

  t.equal(response.statusCode, 200)
  t.equal(response.headers['cache-control'], 'no-store')
  const fresh = response.json().backupCodes as string[]
  t.equal(fresh.length, 10)
  t.same(fresh.filter((code) => user.backupCodes.includes(code)), [])

  const old = await secondStep(test, { challenge: await passwordStep(test,
    user), backupCode: user.backupCodes[0]! })
  t.equal(old.statusCode, 401, 'an old code is void')
  const now = await secondStep(test, { challenge: await passwordStep(test,
    user), backupCode: fresh[0]! })
  t.equal(now.statusCode, 200, 'a new code works')
})

t.test('regenerating needs a current TOTP code, not a backup code', async (t) => {
  const user = await newTwoFactorUser()
  const before = await lastPosition(test)

  const backup = await post('/api/users/me/2fa/backup-codes', user,
    { code: user.backupCodes[0] })
  t.equal(backup.statusCode, 400, 'a backup code is not a six-digit code')
  t.equal(await lastPosition(test), before, 'nothing appended')

  const wrong = await post('/api/users/me/2fa/backup-codes', user,
    { code: staleCode(user) })
  t.equal(wrong.statusCode, 403)
  t.equal(wrong.json().code, 'CR_ERR_2FA_CODE_INVALID')
  t.notOk('backupCodes' in wrong.json())
  t.match((await accessDenials(user.userId))[0]?.data,
    { action: 'regenerate_backup_codes', reason: 'second_factor_invalid' })
})

t.test('a code spent on a step-up cannot log in afterwards', async (t) => {
  const user = await newTwoFactorUser()
  const code = codeAt(user.secret, clock.now())
  const regenerated = await post('/api/users/me/2fa/backup-codes', user,
    { code })
  t.equal(regenerated.statusCode, 200)

  const login = await secondStep(test,
    { challenge: await passwordStep(test, user), code })

  t.equal(login.statusCode, 401)
})

t.test('disabling with a wrong code is a 403, recorded, and 2FA stays on', async (t) => {
  const user = await newTwoFactorUser()

  const response = await post('/api/users/me/2fa/disable', user,
    { code: staleCode(user) })

  t.equal(response.statusCode, 403)
  t.equal(response.json().code, 'CR_ERR_2FA_CODE_INVALID')
  t.notMatch(response.body, user.secret)
  t.match((await accessDenials(user.userId))[0]?.data,
    { userId: user.userId, action: 'disable', method: 'totp' })
  const login = await test.app.inject({ method: 'POST',
    url: '/api/users/login',
    payload: { email: user.email, password: user.password } })
  t.equal(login.json().twoFactorRequired, true, 'still on')
})

t.test('disabling with a current code turns the password login back on', async (t) => {
  const user = await newTwoFactorUser()

  const response = await post('/api/users/me/2fa/disable', user,
    { code: codeAt(user.secret, clock.now()) })

  t.equal(response.statusCode, 204)
  const login = await test.app.inject({ method: 'POST',
    url: '/api/users/login',
    payload: { email: user.email, password: user.password } })
  t.equal(login.statusCode, 200)
  t.type(login.json().token, 'string')

  const twice = await post('/api/users/me/2fa/disable', user,
    { code: codeAt(user.secret, clock.now()) })
  t.equal(twice.statusCode, 409, 'nothing left to disable')
})

t.test('disabling with an unused backup code works (lost device), once', async (t) => {
  const user = await newTwoFactorUser()

  const response = await post('/api/users/me/2fa/disable', user,
    { backupCode: user.backupCodes[9] })
  t.equal(response.statusCode, 204)

  const again = await enableTwoFactor(test, clock, user)
  clock.advance(30)
  const old = await secondStep(test, { challenge: await passwordStep(test,
    again), backupCode: user.backupCodes[8]! })
  t.equal(old.statusCode, 401, 'codes of the old enrolment are void')
  t.notSame(again.secret, user.secret, 'a new secret')
})

t.test('five wrong step-up codes lock disabling too', async (t) => {
  const user = await newTwoFactorUser()
  for (let i = 0; i < 5; i++) {
    await post('/api/users/me/2fa/disable', user, { code: staleCode(user) })
  }

  const locked = await post('/api/users/me/2fa/disable', user,
    { code: codeAt(user.secret, clock.now()) })

  t.equal(locked.statusCode, 403)
  t.equal(locked.json().code, 'CR_ERR_2FA_LOCKED')
})

t.test('a step-up while the second factor is locked is refused and recorded', async (t) => {
  const user = await newTwoFactorUser()
  for (let attempt = 0; attempt < 5; attempt++) {
    await post('/api/users/me/2fa/disable', user, { code: staleCode(user) })
  }
  const denialsBefore = (await accessDenials(user.userId)).length

  const locked = await post('/api/users/me/2fa/disable', user,
    { code: codeAt(user.secret, clock.now()) })

  t.equal(locked.statusCode, 403)
  t.equal(locked.json().code, 'CR_ERR_2FA_LOCKED')
  const denials = await accessDenials(user.userId)
  t.equal(denials.length, denialsBefore + 1, 'the locked attempt is recorded')
  t.match(denials.at(-1)?.data, { action: 'disable',
    reason: 'second_factor_locked' })
  t.match(await passwordStep(test, user), /\S{20,}/,
    'the second factor stays on: a login still gets a challenge')
})
