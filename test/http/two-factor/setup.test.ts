import t from 'tap'

import { userStream } from '../../../src/commands/users/events.ts'
import { buildTestApp, signUp } from '../../helpers/app.ts'
import { dumpAllTables, findTraces } from '../../helpers/database-dump.ts'
import { eventsAfter, lastPosition } from '../../helpers/event-log.ts'
import {
  codeAt,
  enableTwoFactor,
  passwordStep,
  useFakeClock
} from '../../helpers/two-factor.ts'

const PROBLEM = /^application\/problem\+json/
const BACKUP_CODE = /^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/

const test = await buildTestApp(t)
const clock = useFakeClock(test)

const post = (url: string, auth: { authorization: string },
  payload?: Record<string, unknown>) =>
  test.app.inject({ method: 'POST', url, headers: auth,
    ...(payload === undefined ? {} : { payload }) })

t.test('setup answers a Base32 secret and an otpauth URI for the email, uncached', async (t) => {
  const user = await signUp(test)

  const response = await post('/api/users/me/2fa/setup', user.auth)

  t.equal(response.statusCode, 200)
  t.equal(response.headers['cache-control'], 'no-store')
  const { secret, otpauthUri } = response.json()
  t.match(secret, /^[A-Z2-7]{32}$/)
  const uri = new URL(otpauthUri)
  t.equal(uri.protocol, 'otpauth:')
  t.equal(uri.host, 'totp')
  t.equal(decodeURIComponent(uri.pathname), `/CloudRetail:${user.email}`)
  t.equal(uri.searchParams.get('secret'), secret)
  t.equal(uri.searchParams.get('issuer'), 'CloudRetail')
})

t.test('a pending setup changes nothing at login until it is confirmed', async (t) => {
  const user = await signUp(test)
  await post('/api/users/me/2fa/setup', user.auth)

  const login = await test.app.inject({ method: 'POST',
    url: '/api/users/login',
    payload: { email: user.email, password: user.password } })

  t.equal(login.statusCode, 200)
  t.type(login.json().token, 'string')
  t.notOk(login.json().twoFactorRequired)
})

t.test('confirming with a wrong code is refused and enables nothing', async (t) => {
  const user = await signUp(test)
  const { secret } = (await post('/api/users/me/2fa/setup', user.auth)).json()
  const before = await lastPosition(test)
  const wrong = codeAt(secret, new Date(clock.now().getTime() - 5 * 60_000))

  const response = await post('/api/users/me/2fa/confirm', user.auth,
    { code: wrong })

  t.equal(response.statusCode, 400)
  t.match(response.headers['content-type'], PROBLEM)
  t.equal(response.json().code, 'CR_ERR_2FA_CODE_INVALID')
  const appended = await eventsAfter(test, before)
  t.same(appended.map((e) => [e.stream_id, e.type]),
    [[`security-account-${user.userId}`, 'AccessDenied']],
  'only the refused attempt is recorded: nothing enabled')
  t.match(appended[0]?.data, { action: 'confirm_setup',
    reason: 'second_factor_invalid' })
  t.notMatch(JSON.stringify(appended), `"${wrong}"`, 'the code is not kept')
  t.notMatch(response.body, secret)
})

t.test('confirming before any setup is a conflict', async (t) => {
  const user = await signUp(test)

  const response = await post('/api/users/me/2fa/confirm', user.auth,
    { code: '123456' })

  t.equal(response.statusCode, 409)
  t.equal(response.json().code, 'CR_ERR_2FA_NOT_PENDING')
})

t.test('confirming answers ten distinct backup codes once, uncached', async (t) => {
  const user = await signUp(test)
  const { secret } = (await post('/api/users/me/2fa/setup', user.auth)).json()

  const response = await post('/api/users/me/2fa/confirm', user.auth,
    { code: codeAt(secret, clock.now()) })

  t.equal(response.statusCode, 200)
  t.equal(response.headers['cache-control'], 'no-store')
  const codes = response.json().backupCodes as string[]
  t.equal(codes.length, 10)
  t.equal(new Set(codes).size, 10)
  for (const code of codes) t.match(code, BACKUP_CODE)

  const again = await post('/api/users/me/2fa/setup', user.auth)
  t.equal(again.statusCode, 409, 'setup again while enabled')
  t.equal(again.json().code, 'CR_ERR_2FA_ALREADY_ENABLED')
})

t.test('the secret is stored encrypted and backup codes only as hashes', async (t) => {
  const before = await lastPosition(test)
  const user = await enableTwoFactor(test, clock, await signUp(test))

  const stored = (await eventsAfter(test, before))
    .filter((row) => row.stream_id === userStream(user.userId))
  const setup = stored.find((row) => row.type === 'TwoFactorSetupStarted')
  const generated = stored.find((row) => row.type === 'BackupCodesGenerated')
  t.ok(setup, 'setup recorded')
  t.type((setup!.data as { secret: unknown }).secret, 'object', 'ciphertext')
  t.same((generated!.data as { hashes: string[] }).hashes.map((h) => h.length),
    Array(10).fill(64))

  const needles = [user.secret, ...user.backupCodes,
    ...user.backupCodes.map((code) => code.replaceAll('-', ''))]
  t.same(findTraces(await dumpAllTables(test.database.db), needles), [],
    'no table holds the secret or a backup code in the clear')

  const revealed = await test.services.codec.reveal({
    ...(await test.services.store.readStream(userStream(user.userId)))
      .find((event) => event.type === 'TwoFactorSetupStarted')!
  })
  t.equal((revealed.data as { secret: string }).secret, user.secret,
    'the owner key decrypts it')
})

t.test('with 2FA on the password step answers a challenge and no session token', async (t) => {
  const user = await enableTwoFactor(test, clock, await signUp(test))

  const response = await test.app.inject({ method: 'POST',
    url: '/api/users/login',
    payload: { email: user.email, password: user.password } })

  t.equal(response.statusCode, 200)
  const body = response.json()
  t.equal(body.twoFactorRequired, true)
  t.equal(body.challengeExpiresIn, 300)
  t.match(body.challenge, /^[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}$/)
  t.notOk('token' in body, 'no token')
  t.same(Object.keys(body).sort(),
    ['challenge', 'challengeExpiresIn', 'twoFactorRequired', 'user'])
})

t.test('a challenge is refused as a bearer token on every signed-in route', async (t) => {
  const user = await enableTwoFactor(test, clock, await signUp(test))
  const challenge = await passwordStep(test, user)
  const before = await lastPosition(test)

  for (const [method, url] of [['GET', '/api/users/me'],
    ['POST', '/api/users/me/2fa/setup'], ['POST', '/api/users/logout'],
    ['DELETE', '/api/users/me']] as const) {
    const response = await test.app.inject({ method, url,
      headers: { authorization: `Bearer ${challenge}` } })
    t.equal(response.statusCode, 401, `${method} ${url}`)
    t.equal(response.json().code, 'CR_ERR_AUTH_INVALID_TOKEN')
  }
  const appended = await eventsAfter(test, before)
  t.same(appended.filter((row) => !row.stream_id.startsWith('security-')),
    [], 'nothing appended but the refusals')
  t.ok(appended.every((row) => row.type === 'TokenRejected'))
})

t.test('the 2FA routes need a session', async (t) => {
  for (const url of ['/api/users/me/2fa/setup', '/api/users/me/2fa/confirm',
    '/api/users/me/2fa/backup-codes', '/api/users/me/2fa/disable']) {
    const response = await test.app.inject({ method: 'POST', url,
      payload: { code: '123456' } })
    t.equal(response.statusCode, 401, url)
  }
})
