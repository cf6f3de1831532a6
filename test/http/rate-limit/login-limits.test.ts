/**
 * The login tier as an attacker meets it: the sixth attempt in 15 minutes
 * is refused with 429, the refusal says nothing it should not, it is
 * recorded once however long the flood, and one account is limited however
 * many addresses the guesses come from.
 */
import t from 'tap'

import { securityDayStream } from '../../../src/commands/security/security-events.ts'
import { buildTestApp, signUp, type TestApp } from '../../helpers/app.ts'
import { eventsAfter, lastPosition } from '../../helpers/event-log.ts'
import { emptyLogin, loginAs, statusesOf } from '../../helpers/rate-limit.ts'

const ATTACKER = '203.0.113.66'

t.test('the sixth login from one address in 15 minutes is 429 with Retry-After and a problem body that leaks nothing',
  async (t) => {
    const test = await buildTestApp(t, { rateLimit: {} })
    const victim = await signUp(test)
    const from = { address: ATTACKER }

    // Five different accounts, so only the address's budget runs out.
    const statuses = await statusesOf(5, (index) => loginAs(test.app, from,
      { email: `guess${index}@example.com`, password: 'Wrong-Horse-1' }))
    t.same(statuses, [401, 401, 401, 401, 401])
    const refused = await loginAs(test.app, from,
      { email: victim.email, password: victim.password })

    t.equal(refused.statusCode, 429, 'even the right password is refused')
    t.match(refused.headers['content-type'], /^application\/problem\+json/)
    const retryAfter = Number(refused.headers['retry-after'])
    t.ok(Number.isInteger(retryAfter) && retryAfter > 0 && retryAfter <= 900,
      `Retry-After is the seconds left in the window (${retryAfter})`)
    t.equal(refused.headers['ratelimit-limit'], '5')
    t.equal(refused.headers['ratelimit-remaining'], '0')
    t.equal(refused.headers['ratelimit-reset'], String(retryAfter))
    t.equal(refused.headers['ratelimit-policy'],
      '5;w=900, 20;w=3600, 100;w=86400')
    t.equal(refused.headers['x-frame-options'], 'DENY',
      'the refusal carries the security headers')
    const body = refused.json()
    t.same(Object.keys(body).sort(),
      ['code', 'correlationId', 'detail', 'status', 'title', 'type'])
    t.match(body, { status: 429, title: 'Too Many Requests',
      code: 'CR_ERR_HTTP_RATE_LIMITED',
      detail: `too many requests: retry in ${retryAfter} seconds` })
    t.equal(body.correlationId, refused.headers['x-correlation-id'])
    for (const secret of [ATTACKER, victim.email, victim.password, 'login:',
      'address:', 'account:', 'rate-limit', 'Error', 'at ']) {
      t.notOk(refused.body.includes(secret), `no ${secret} in the body`)
    }
    t.equal(refused.json().token, undefined, 'no session was issued')
  })

t.test('a flood of refusals is recorded as one RateLimitExceeded event per window, with no address or email in it',
  async (t) => {
    const test = await buildTestApp(t, { rateLimit: {} })
    const before = await lastPosition(test)
    const guess = { email: 'target@example.com', password: 'Wrong-Horse-9' }
    const from = { address: ATTACKER }

    const statuses = await statusesOf(30, () => loginAs(test.app, from, guess))
    t.equal(statuses.filter((status) => status === 429).length, 25)

    const stream = securityDayStream('rate-limit', new Date())
    const events = (await eventsAfter(test, before))
      .filter((event) => event.stream_id === stream)
    // The address is refused before the body is read, so the account's
    // counter stops at five and is never exceeded.
    t.same(events.map((event) => event.type), ['RateLimitExceeded'])
    t.same(events[0]?.data, { tier: 'login', window: '15m', limit: 5,
      keyKind: 'address', route: 'POST /api/users/login', userId: null })
    const stored = JSON.stringify(events)
    t.notOk(stored.includes(ATTACKER), 'the address is stored encrypted only')
    t.notOk(stored.includes('target@example.com'), 'no email')
    t.match(events[0]?.metadata, { correlationId: String })
  })

t.test('one account is limited across addresses, in any spelling of its email',
  async (t) => {
    const test = await buildTestApp(t, { rateLimit: {} })
    const victim = await signUp(test)
    const other = await signUp(test)
    const before = await lastPosition(test)
    const spellings = [victim.email.toUpperCase(), ` ${victim.email}`,
      victim.email.replace('e', '\uFF45'), victim.email]

    // signUp signed the victim in once: four guesses make five.
    const statuses = await statusesOf(4, (index) => loginAs(test.app,
      { address: `192.0.2.${index + 1}` },
      { email: spellings[index]!, password: 'Wrong-Horse-Battery-1' }))
    t.same(statuses, [401, 401, 401, 401], 'four guesses from four addresses')
    const sixth = await loginAs(test.app, { address: '192.0.2.99' },
      { email: victim.email, password: victim.password })
    t.equal(sixth.statusCode, 429,
      'a sixth address with the right password is refused for that account')
    t.equal(sixth.json().token, undefined)
    const recorded = (await eventsAfter(test, before))
      .filter((event) => event.type === 'RateLimitExceeded')
    t.same(recorded.map((event) => event.data.keyKind), ['account'])

    const bystander = await loginAs(test.app, { address: '192.0.2.99' },
      { email: other.email, password: other.password })
    t.equal(bystander.statusCode, 200, 'another account from there signs in')
  })

t.test('registrations share the login tier: the sixth from one address is refused',
  async (t) => {
    const test = await buildTestApp(t, { rateLimit: {} })
    const statuses = await statusesOf(6, () => test.app.inject({
      method: 'POST', url: '/api/users/register',
      remoteAddress: ATTACKER, payload: {} }))

    t.same(statuses, [400, 400, 400, 400, 400, 429])
    const login = await emptyLogin(test.app, { address: ATTACKER })
    t.equal(login.statusCode, 429, 'and the login from there too')
  })

t.test('signed-in callers are counted by user, not by address', async (t) => {
  const test = await buildTestApp(t, {
    rateLimit: { tiers: { authenticated: [3, 400, 5_000] } }
  })
  const first = await signUp(test)
  const second = await signUp(test)
  const me = (test: TestApp, address: string,
    auth: Record<string, string>) =>
    test.app.inject({ url: '/api/users/me', remoteAddress: address,
      headers: auth })

  const statuses = await statusesOf(3, (index) => me(test,
    `192.0.2.${10 + index}`, first.auth))
  t.same(statuses, [200, 200, 200])
  t.equal((await me(test, '192.0.2.20', first.auth)).statusCode, 429,
    'a new address does not give the user a new budget')
  t.equal((await me(test, '192.0.2.10', second.auth)).statusCode, 200,
    'another user at the same address has their own')

  const forged = first.token.slice(0, -4) +
    (first.token.endsWith('AAAA') ? 'BBBB' : 'AAAA')
  const withForged = await me(test, '192.0.2.30',
    { authorization: `Bearer ${forged}` })
  t.equal(withForged.statusCode, 401,
    'a forged token is counted by address and refused by the route')
})
