import bcrypt from 'bcrypt'
import t from 'tap'

import type { CommandContext } from '../../../src/commands/command-context.ts'
import {
  securityAccountStream,
  securityDayStream
} from '../../../src/commands/security/security-events.ts'
import { logIn } from '../../../src/commands/users/log-in.ts'
import { lookupHash } from '../../../src/commands/users/user-lookup.ts'
import { buildTestApp, signUp } from '../../helpers/app.ts'
import { eventsAfter, lastPosition } from '../../helpers/event-log.ts'

const test = await buildTestApp(t)
const kim = await signUp(test, 'customer', {
  email: `kim.${Date.now().toString(36)}@example.com`
})

const inject = (email: string, password: string) => test.app.inject({
  method: 'POST', url: '/api/users/login', payload: { email, password }
})

const anonymous: CommandContext = {
  actor: { kind: 'anonymous' },
  correlationId: 'login-test',
  client: {}
}

t.test('emails match after NFKC and lower-casing, in any case or width', async (t) => {
  const [local, domain] = kim.email.split('@') as [string, string]
  const spellings = [
    kim.email.toUpperCase(),
    `  ${kim.email}  `,
    // U+212A KELVIN SIGN folds to K (NFKC), then to k.
    `\u212A${kim.email.slice(1)}`,
    // Full-width letters fold to ASCII.
    [...local].map((c) => /[a-z]/.test(c)
      ? String.fromCodePoint(c.codePointAt(0)! - 0x61 + 0xff41)
      : c).join('') + `@${domain}`
  ]
  for (const email of spellings) {
    const response = await inject(email, kim.password)
    t.equal(response.statusCode, 200, JSON.stringify(email))
    t.equal(response.json().user.userId, kim.userId)
  }
})

t.test('Turkish dotted and dotless i are other letters, not i', async (t) => {
  // 'İ'.toLowerCase() is 'i' plus U+0307 (combining dot), which NFKC keeps;
  // 'ı' has no upper/lower pairing with i outside Turkish locales. Neither
  // opens kim's account, as toLowerCase (not full case folding) is applied.
  const [local, domain] = kim.email.split('@') as [string, string]
  for (const letter of ['\u0130', '\u0131']) {
    const email = `k${letter}${local.slice(2)}@${domain}`
    const response = await inject(email, kim.password)
    t.equal(response.statusCode, 401, JSON.stringify(email))
  }
})

t.test('German sharp s: capital ẞ folds to ß, but ss stays apart from ß', async (t) => {
  // Registration accepts ASCII emails only, so this checks the lookup that
  // login uses. Documented in src/crypto/blind-index.ts: toLowerCase is not
  // full case folding ('ß' would fold to 'ss').
  const key = test.services.blindIndexKey
  const hash = (email: string) => lookupHash(key, 'email', email)

  t.equal(hash('STRAẞE@example.de'), hash('straße@example.de'))
  t.equal(hash('Straße@EXAMPLE.de'), hash('straße@example.de'))
  t.not(hash('strasse@example.de'), hash('straße@example.de'))
  t.not(hash('STRASSE@example.de'), hash('straße@example.de'))
})

t.test('an unknown email and a wrong password get identical answers', async (t) => {
  const wrong = await inject(kim.email, 'Not-The-Password-1')
  const unknown = await inject(`nobody.${Date.now()}@example.com`,
    'Not-The-Password-1')

  t.equal(wrong.statusCode, 401)
  t.equal(unknown.statusCode, wrong.statusCode)
  const headers = (response: typeof wrong) => {
    const rest: Record<string, unknown> = { ...response.headers }
    t.ok(rest['x-correlation-id'], 'a correlation id is sent')
    delete rest['x-correlation-id']
    delete rest.date

    return rest
  }
  t.same(headers(unknown), headers(wrong))
  t.match(wrong.headers['www-authenticate'], /^Bearer\b/)
  const body = (response: typeof wrong) => {
    const { correlationId, ...rest } = response.json()
    t.type(correlationId, 'string')

    return rest
  }
  t.same(body(unknown), body(wrong))
  t.notMatch(wrong.body, /exist|unknown|not found|bcrypt/i)
})

t.test('an unknown email costs the same bcrypt work as a wrong password', async (t) => {
  const original = bcrypt.compare
  const calls: string[] = []
  // Counting calls and reading the cost of the hash compared against
  // proves equal work without measuring time.
  bcrypt.compare = (async (data: string, hash: string) => {
    calls.push(hash)

    return await original(data, hash)
  }) as typeof bcrypt.compare
  t.teardown(() => { bcrypt.compare = original })

  await inject(kim.email, 'Not-The-Password-1')
  const wrongPassword = calls.splice(0)
  await inject(`nobody.${Date.now()}@example.com`, 'Not-The-Password-1')
  const unknownEmail = calls.splice(0)
  // 61 + 4 × 3 = 73 bytes: one past bcrypt's limit.
  const overLongAnswer = await inject(kim.email, `${'x'.repeat(61)}${'€'.repeat(4)}`)
  const overLong = calls.splice(0)
  t.equal(overLongAnswer.statusCode, 401,
    'an over-long password is a wrong password, not its first 72 bytes')

  for (const [label, hashes] of [['wrong password', wrongPassword],
    ['unknown email', unknownEmail], ['over-long password', overLong]] as const) {
    t.equal(hashes.length, 1, `${label}: one compare`)
    t.equal(hashes[0]!.slice(0, 7), '$2b$12$', `${label}: at cost 12`)
  }
})

t.test('a wrong password is a LoginFailed in the account and day streams', async (t) => {
  const before = await lastPosition(test)

  await inject(kim.email, 'Not-The-Password-1')

  const failed = (await eventsAfter(test, before))
    .filter((e) => e.type === 'LoginFailed')
  t.same(failed.map((e) => e.stream_id).sort(), [
    securityAccountStream(kim.userId),
    securityDayStream('login', new Date())
  ].sort())
  t.match(failed[0]!.data, { userId: kim.userId, reason: 'wrong_password' })
  t.notOk(JSON.stringify(failed).includes('Not-The-Password-1'))
})

t.test('an unknown email is recorded naming nobody, not even by blind index', async (t) => {
  const email = `ghost.${Date.now()}@example.com`
  const before = await lastPosition(test)

  await inject(email, 'Not-The-Password-1')

  const appended = await eventsAfter(test, before)
  t.same(appended.map((e) => [e.type, e.stream_id]),
    [['LoginFailed', securityDayStream('login', new Date())]])
  t.match(appended[0]!.data, { userId: null, reason: 'unknown_account' })
  const stored = JSON.stringify(appended)
  t.notOk(stored.includes('ghost'), 'no email')
  t.notOk(stored.includes(lookupHash(test.services.blindIndexKey, 'email',
    email)), 'no blind index')
})

t.test('five failures within 15 minutes raise one alert per window', async (t) => {
  const user = await signUp(test)
  let now = new Date('2031-03-04T10:00:00Z')
  const services = { ...test.services, now: () => now }
  const fail = async () => {
    await t.rejects(logIn(services, anonymous,
      { email: user.email, password: 'Not-The-Password-1' }),
    { code: 'CR_ERR_AUTH_BAD_CREDENTIALS' })
  }
  const alerts = async () => (await test.services.store.readStream(
    securityAccountStream(user.userId)))
    .filter((e) => e.type === 'LoginAlertRaised')
  const minutes = (n: number) => { now = new Date(now.getTime() + n * 60_000) }

  for (let i = 0; i < 4; i++) { await fail(); minutes(3) }
  t.equal((await alerts()).length, 0, 'four failures raise nothing')
  await fail()
  t.equal((await alerts()).length, 1, 'the fifth within 15 minutes does')
  t.match((await alerts())[0]!.data, { userId: user.userId, failures: 5 })
  for (let i = 0; i < 3; i++) { await fail(); minutes(1) }
  t.equal((await alerts()).length, 1, 'further failures in the window do not')

  // Sixteen quiet minutes later the window is empty again: four failures
  // are not enough, the fifth raises the next alert.
  minutes(16)
  for (let i = 0; i < 4; i++) await fail()
  t.equal((await alerts()).length, 1)
  await fail()
  t.equal((await alerts()).length, 2)
  t.ok((await test.services.store.readStream(securityDayStream('alert', now)))
    .some((e) => e.type === 'LoginAlertRaised'), 'also in the day stream')
})

t.test('failures spread over more than 15 minutes raise no alert', async (t) => {
  const user = await signUp(test)
  let now = new Date('2031-03-05T10:00:00Z')
  const services = { ...test.services, now: () => now }
  for (let i = 0; i < 8; i++) {
    await logIn(services, anonymous,
      { email: user.email, password: 'Not-The-Password-1' }).catch(() => {})
    now = new Date(now.getTime() + 4 * 60_000)
  }
  const stream = await test.services.store.readStream(
    securityAccountStream(user.userId))
  t.equal(stream.filter((e) => e.type === 'LoginFailed').length, 8)
  t.equal(stream.filter((e) => e.type === 'LoginAlertRaised').length, 0)
})

t.test('ten concurrent failures raise exactly one alert', async (t) => {
  const user = await signUp(test)

  const answers = await Promise.all(Array.from({ length: 10 },
    () => inject(user.email, 'Not-The-Password-1')))

  t.same(new Set(answers.map((a) => a.statusCode)), new Set([401]))
  const stream = await test.services.store.readStream(
    securityAccountStream(user.userId))
  t.equal(stream.filter((e) => e.type === 'LoginFailed').length, 10)
  t.equal(stream.filter((e) => e.type === 'LoginAlertRaised').length, 1)
  t.equal((await inject(user.email, user.password)).statusCode, 200,
    'the right password still works (locking out is the rate limiter\'s call)')
})
