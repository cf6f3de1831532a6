import t, { type Test } from 'tap'

import { userStream } from '../../../src/commands/users/events.ts'
import { securityAccountStream } from '../../../src/commands/security/security-events.ts'
import { buildTestApp, signUp } from '../../helpers/app.ts'
import { eventsAfter, lastPosition } from '../../helpers/event-log.ts'
import {
  codeAt,
  enableTwoFactor,
  hasOathtool,
  oathtoolCode,
  passwordStep,
  secondStep,
  useFakeClock,
  type TwoFactorUser
} from '../../helpers/two-factor.ts'

const test = await buildTestApp(t)
const clock = useFakeClock(test)

/** A signed-up user with 2FA on, the clock moved past the spent step. */
async function newTwoFactorUser (): Promise<TwoFactorUser> {
  const user = await enableTwoFactor(test, clock, await signUp(test))
  clock.advance(30)

  return user
}

const readMe = (token: string) => test.app.inject({ method: 'GET',
  url: '/api/users/me', headers: { authorization: `Bearer ${token}` } })

async function typesIn (stream: string) {
  return (await test.services.store.readStream(stream)).map((e) => e.type)
}

async function loginMethods (userId: string) {
  return (await test.services.store.readStream(userStream(userId)))
    .filter((event) => event.type === 'UserLoggedIn')
    .map((event) => (event.data as { method: string }).method)
}

/** What a refused step may say: a problem with our code, nothing else. */
function assertNothingLeaks (t: Test, body: string, user: TwoFactorUser) {
  const parsed = JSON.parse(body) as Record<string, unknown>
  t.notOk('token' in parsed, 'no token')
  t.notMatch(body, user.secret)
  t.notMatch(body, /stack|select |insert |otplib|Error:/i)
}

t.test('challenge plus current code gives a working session recorded as totp', async (t) => {
  const user = await newTwoFactorUser()
  const challenge = await passwordStep(test, user)

  const response = await secondStep(test,
    { challenge, code: codeAt(user.secret, clock.now()) })

  t.equal(response.statusCode, 200)
  const body = response.json()
  t.equal(body.tokenType, 'Bearer')
  t.equal(body.user.userId, user.userId)
  t.equal((await readMe(body.token)).statusCode, 200, 'the token works')
  t.same(await loginMethods(user.userId), ['password', 'totp'])
})

t.test('a wrong code is a 401 and a LoginFailed event, and gives nothing', async (t) => {
  const user = await newTwoFactorUser()
  const challenge = await passwordStep(test, user)
  const wrong = codeAt(user.secret, new Date(clock.now().getTime() - 600_000))

  const response = await secondStep(test, { challenge, code: wrong })

  t.equal(response.statusCode, 401)
  t.equal(response.json().code, 'CR_ERR_2FA_CODE_INVALID')
  assertNothingLeaks(t, response.body, user)
  const security = await test.services.store.readStream(
    securityAccountStream(user.userId))
  const failed = security.filter((e) => e.type === 'LoginFailed')
  t.equal(failed.length, 1)
  t.match(failed[0]!.data, { userId: user.userId,
    reason: 'second_factor_invalid', method: 'totp' })
  t.same(await loginMethods(user.userId), ['password'], 'no login recorded')
})

t.test('a code is accepted once: replaying it with a new challenge fails', async (t) => {
  const user = await newTwoFactorUser()
  const code = codeAt(user.secret, clock.now())
  const first = await secondStep(test,
    { challenge: await passwordStep(test, user), code })
  t.equal(first.statusCode, 200)

  clock.advance(10)
  const replay = await secondStep(test,
    { challenge: await passwordStep(test, user), code })

  t.equal(replay.statusCode, 401)
  t.equal(replay.json().code, 'CR_ERR_2FA_CODE_INVALID')
  assertNothingLeaks(t, replay.body, user)
})

t.test('an earlier code than the last one accepted is refused too', async (t) => {
  const user = await newTwoFactorUser()
  const earlier = codeAt(user.secret, clock.now())
  clock.advance(30)
  const ok = await secondStep(test, { challenge: await passwordStep(test, user),
    code: codeAt(user.secret, clock.now()) })
  t.equal(ok.statusCode, 200)

  const response = await secondStep(test,
    { challenge: await passwordStep(test, user), code: earlier })

  t.equal(response.statusCode, 401, 'still inside the ±30 s window, but spent')
})

t.test('one step of clock drift is accepted either way, two are not', async (t) => {
  for (const [shift, status] of [[-30, 200], [30, 200], [-60, 401],
    [60, 401]] as const) {
    const user = await newTwoFactorUser()
    clock.advance(60)
    const code = codeAt(user.secret,
      new Date(clock.now().getTime() + shift * 1000))

    const response = await secondStep(test,
      { challenge: await passwordStep(test, user), code })

    t.equal(response.statusCode, status, `device clock ${shift} s off`)
  }
})

t.test('a challenge is single-use and bound to its user', async (t) => {
  const user = await newTwoFactorUser()
  const other = await newTwoFactorUser()
  const challenge = await passwordStep(test, user)
  const ok = await secondStep(test,
    { challenge, code: codeAt(user.secret, clock.now()) })
  t.equal(ok.statusCode, 200)

  clock.advance(30)
  const again = await secondStep(test,
    { challenge, code: codeAt(user.secret, clock.now()) })
  t.equal(again.statusCode, 401, 'spent challenge')
  t.equal(again.json().code, 'CR_ERR_2FA_CHALLENGE_INVALID')

  const mine = await passwordStep(test, user)
  const theirs = await passwordStep(test, other)
  const swapped = `${other.userId}.${mine.split('.')[1]}`
  const crossed = await secondStep(test,
    { challenge: swapped, code: codeAt(other.secret, clock.now()) })
  t.equal(crossed.statusCode, 401, "my challenge secret on another's id")
  t.ok(theirs)
})

t.test('a newer challenge replaces the older one', async (t) => {
  const user = await newTwoFactorUser()
  const older = await passwordStep(test, user)
  await passwordStep(test, user)

  const response = await secondStep(test,
    { challenge: older, code: codeAt(user.secret, clock.now()) })

  t.equal(response.statusCode, 401)
  t.equal(response.json().code, 'CR_ERR_2FA_CHALLENGE_INVALID')
})

t.test('a challenge expires after five minutes', async (t) => {
  const user = await newTwoFactorUser()
  const challenge = await passwordStep(test, user)
  clock.advance(5 * 60 + 1)

  const response = await secondStep(test,
    { challenge, code: codeAt(user.secret, clock.now()) })

  t.equal(response.statusCode, 401)
  t.equal(response.json().code, 'CR_ERR_2FA_CHALLENGE_INVALID')
})

t.test('forged or malformed challenges are 401 or 400 and append only a security event', async (t) => {
  const user = await newTwoFactorUser()
  const forged = `${user.userId}.${'A'.repeat(43)}`
  const before = await lastPosition(test)

  const response = await secondStep(test,
    { challenge: forged, code: codeAt(user.secret, clock.now()) })

  t.equal(response.statusCode, 401)
  t.same(await typesIn(userStream(user.userId)).then((types) =>
    types.filter((type) => type === 'UserLoggedIn').length), 1)
  for (const challenge of ['nonsense', `${user.userId}`, 'a.b.c']) {
    const bad = await secondStep(test, { challenge, code: '123456' })
    t.equal(bad.statusCode, 400, challenge)
  }
  const recorded = await eventsAfter(test, before)
  t.same(recorded.map((e) => [e.stream_id.replace(/\d{4}-\d{2}-\d{2}$/, 'day'),
    e.type]), [['security-login-day', 'LoginFailed']],
  'the forged one is recorded in the day stream only')
  t.match(recorded[0], { data: { userId: null, reason: 'challenge_invalid' },
    metadata: { actor: { kind: 'anonymous' } } },
  'naming nobody and acting as nobody: the user id in it proves nothing')
})

t.test('forged challenges naming an account raise no alert on it', async (t) => {
  const user = await newTwoFactorUser()
  const before = await lastPosition(test)

  for (let attempt = 0; attempt < 6; attempt++) {
    const forged = `${user.userId}.${String(attempt).repeat(43)}`
    const response = await secondStep(test, { challenge: forged,
      code: '123456' })
    t.equal(response.statusCode, 401)
  }

  const recorded = await eventsAfter(test, before)
  t.notOk(recorded.some((e) => e.stream_id === `security-account-${user.userId}`),
    'nothing is written to the account\'s security stream')
  t.notOk(recorded.some((e) => e.type === 'LoginAlertRaised'), 'no alert')
  const login = await secondStep(test, { challenge: await passwordStep(test,
    user), code: codeAt(user.secret, clock.now()) })
  t.equal(login.statusCode, 200, 'the owner is not locked out')
})

t.test('a backup code logs in once, recorded as backup_code', async (t) => {
  const user = await newTwoFactorUser()
  const backupCode = user.backupCodes[3]!

  const first = await secondStep(test, { challenge: await passwordStep(test,
    user), backupCode: backupCode.toLowerCase().replaceAll('-', ' ') })
  t.equal(first.statusCode, 200, 'case, spaces and dashes do not matter')
  t.equal((await readMe(first.json().token)).statusCode, 200)

  const again = await secondStep(test,
    { challenge: await passwordStep(test, user), backupCode })
  t.equal(again.statusCode, 401, 'used up')
  const other = await secondStep(test,
    { challenge: await passwordStep(test, user),
      backupCode: user.backupCodes[4]! })
  t.equal(other.statusCode, 200, 'the others still work')
  t.same(await loginMethods(user.userId),
    ['password', 'backup_code', 'backup_code'])
})

t.test("another user's backup code does not work", async (t) => {
  const user = await newTwoFactorUser()
  const other = await newTwoFactorUser()

  const response = await secondStep(test,
    { challenge: await passwordStep(test, user),
      backupCode: other.backupCodes[0]! })

  t.equal(response.statusCode, 401)
})

t.test('the same code sent twice at once logs in exactly once', async (t) => {
  const user = await newTwoFactorUser()
  const code = codeAt(user.secret, clock.now())
  const challenge = await passwordStep(test, user)
  const sameChallenge = await Promise.all([0, 1].map(() =>
    secondStep(test, { challenge, code })))
  t.same(sameChallenge.map((r) => r.statusCode).sort(), [200, 401],
    'one code, one challenge: one session')

  clock.advance(30)
  const fresh = codeAt(user.secret, clock.now())
  const [a, b] = await Promise.all([0, 1].map(async () =>
    secondStep(test, { challenge: await passwordStep(test, user),
      code: fresh })))
  const statuses = [a!.statusCode, b!.statusCode].sort()
  t.same(statuses, [200, 401], 'one code, two challenges: one session')
  t.equal((await loginMethods(user.userId)).filter((m) => m === 'totp').length,
    2)
})

t.test('the same backup code sent twice at once logs in exactly once', async (t) => {
  const user = await newTwoFactorUser()
  const backupCode = user.backupCodes[0]!
  const challenge = await passwordStep(test, user)
  const sessions: string[] = []
  let successes = 0

  const responses = await Promise.all([0, 1, 2, 3].map(() =>
    secondStep(test, { challenge, backupCode })))
  for (const response of responses) {
    if (response.statusCode === 200) {
      successes++
      sessions.push(response.json().token)
    } else {
      t.equal(response.statusCode, 401)
    }
  }

  t.equal(successes, 1)
  const used = (await test.services.store.readStream(userStream(user.userId)))
    .filter((event) => event.type === 'BackupCodeUsed')
  t.equal(used.length, 1, 'spent once')
})

t.test('five wrong codes lock the second factor for 15 minutes', async (t) => {
  const user = await newTwoFactorUser()
  const wrong = codeAt(user.secret, new Date(clock.now().getTime() - 600_000))
  for (let i = 0; i < 5; i++) {
    const response = await secondStep(test,
      { challenge: await passwordStep(test, user), code: wrong })
    t.equal(response.json().code, 'CR_ERR_2FA_CODE_INVALID')
  }

  const locked = await secondStep(test, { challenge: await passwordStep(test,
    user), code: codeAt(user.secret, clock.now()) })
  t.equal(locked.statusCode, 401, 'even the right code')
  t.equal(locked.json().code, 'CR_ERR_2FA_LOCKED')
  const backup = await secondStep(test, { challenge: await passwordStep(test,
    user), backupCode: user.backupCodes[0]! })
  t.equal(backup.json().code, 'CR_ERR_2FA_LOCKED', 'and backup codes')

  clock.advance(15 * 60)
  const later = await secondStep(test, { challenge: await passwordStep(test,
    user), code: codeAt(user.secret, clock.now()) })
  t.equal(later.statusCode, 200, 'open again after 15 minutes')
})

t.test('five wrong codes raise the account alert, as five wrong passwords do', async (t) => {
  const user = await newTwoFactorUser()
  const wrong = codeAt(user.secret, new Date(clock.now().getTime() - 600_000))
  for (let i = 0; i < 5; i++) {
    await secondStep(test,
      { challenge: await passwordStep(test, user), code: wrong })
  }

  const security = await test.services.store.readStream(
    securityAccountStream(user.userId))
  const alerts = security.filter((e) => e.type === 'LoginAlertRaised')
  t.equal(alerts.length, 1)
  t.match(alerts[0]!.data, { userId: user.userId, failures: 5 })
})

t.test('a code from oathtool logs in through the app',
  { skip: hasOathtool() ? false : 'oathtool is not installed' },
  async (t) => {
    const user = await newTwoFactorUser()
    const code = oathtoolCode(user.secret, clock.now())!
    t.equal(code, codeAt(user.secret, clock.now()), 'same code as otplib')

    const response = await secondStep(test,
      { challenge: await passwordStep(test, user), code })

    t.equal(response.statusCode, 200)
  })

t.test('sending both a code and a backup code, or neither, is a 400', async (t) => {
  const user = await newTwoFactorUser()
  const challenge = await passwordStep(test, user)

  for (const payload of [{ challenge }, { challenge, code: '123456',
    backupCode: user.backupCodes[0]! }]) {
    const response = await secondStep(test, payload)
    t.equal(response.statusCode, 400)
  }
})
