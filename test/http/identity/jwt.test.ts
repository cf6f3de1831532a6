import { randomBytes } from 'node:crypto'

import type { FastifyInstance } from 'fastify'
import {
  SignJWT,
  UnsecuredJWT,
  decodeProtectedHeader,
  generateKeyPair,
  jwtVerify,
  type JWTPayload
} from 'jose'
import t, { type Test } from 'tap'

import { buildApp } from '../../../src/http/app.ts'
import { PostgresSessionStore } from '../../../src/http/auth/postgres-session-store.ts'
import { keyIdOf } from '../../../src/http/plugins/app/authentication.ts'
import { buildTestApp, signUp, type TestApp } from '../../helpers/app.ts'
import { eventsAfter, lastPosition } from '../../helpers/event-log.ts'

const PROBLEM = /^application\/problem\+json/
const DAY = 24 * 60 * 60

const test = await buildTestApp(t)
const user = await signUp(test)
const claims = await jwtVerify(user.token, test.jwtSecret,
  { algorithms: ['HS256'] })

const readMe = (app: FastifyInstance, token: string) => app.inject({
  method: 'GET', url: '/api/users/me',
  headers: { authorization: `Bearer ${token}` }
})

/** Signs with jose, not with the app: an independent implementation. */
function forge (payload: JWTPayload, secret: Uint8Array,
  header: { alg: string, kid?: string } = { alg: 'HS256' }) {
  return new SignJWT(payload).setProtectedHeader(header).sign(secret)
}

const now = () => Math.floor(Date.now() / 1000)
const genuine = (): JWTPayload => ({
  userId: user.userId,
  email: user.email,
  role: 'customer',
  jti: claims.payload.jti!,
  iat: now(),
  exp: now() + 3600
})

async function assertRefused (t: Test, app: FastifyInstance,
  token: string, label: string) {
  const response = await readMe(app, token)
  t.equal(response.statusCode, 401, label)
  t.match(response.headers['content-type'], PROBLEM, label)
  t.match(response.headers['www-authenticate'], /^Bearer\b/, label)
  t.equal(response.json().code, 'CR_ERR_AUTH_INVALID_TOKEN', label)
  t.equal(response.json().detail, 'a valid bearer token is required', label)
  t.notMatch(response.body,
    /jwt|signature|expired|algorithm|active|claim|secret|stack|fast/i, label)
}

t.test('a token the app issues verifies with jose and holds exactly six claims', async (t) => {
  const { payload, protectedHeader } = claims

  t.equal(protectedHeader.alg, 'HS256')
  t.equal(protectedHeader.kid, keyIdOf(test.jwtSecret))
  t.same(Object.keys(payload).sort(),
    ['email', 'exp', 'iat', 'jti', 'role', 'userId'])
  t.match(payload, { userId: user.userId, email: user.email,
    role: 'customer' })
  t.match(payload.jti, /^[0-9a-f-]{36}$/)
  t.equal(payload.exp! - payload.iat!, DAY)
  await t.rejects(jwtVerify(user.token, randomBytes(32)),
    'and fails under any other secret')
})

t.test('the Bearer scheme is read in any case, the token exactly', async (t) => {
  for (const scheme of ['bearer', 'BEARER', 'Bearer']) {
    const response = await test.app.inject({ method: 'GET',
      url: '/api/users/me', headers: { authorization: `${scheme} ${user.token}` } })
    t.equal(response.statusCode, 200, scheme)
  }
  // The first letter of the signature in the other case.
  const at = user.token.lastIndexOf('.') + 1 +
    user.token.slice(user.token.lastIndexOf('.') + 1).search(/[A-Za-z]/)
  const letter = user.token[at]!
  const swapped = letter === letter.toLowerCase()
    ? letter.toUpperCase()
    : letter.toLowerCase()
  const flipped = user.token.slice(0, at) + swapped + user.token.slice(at + 1)
  t.not(flipped, user.token)
  const response = await readMe(test.app, flipped)
  t.equal(response.statusCode, 401, 'a token with its case changed is another token')
})

t.test('every kind of forged or out-of-time token is refused with 401', async (t) => {
  const { privateKey } = await generateKeyPair('RS256')
  const [header, payload, signature] = user.token.split('.') as
    [string, string, string]
  const altered = Buffer.from(JSON.stringify({ ...claims.payload,
    role: 'admin' })).toString('base64url')
  const secret = test.jwtSecret
  const before = await lastPosition(test)
  const cases: Array<[string, string, string]> = [
    ['wrong secret', await forge(genuine(), randomBytes(32)), 'bad_signature'],
    ['alg none', new UnsecuredJWT(genuine()).encode(), 'unsigned'],
    ['HS384 with the right secret',
      await forge(genuine(), secret, { alg: 'HS384' }), 'wrong_algorithm'],
    ['HS512 with the right secret',
      await forge(genuine(), secret, { alg: 'HS512' }), 'wrong_algorithm'],
    ['RS256', await new SignJWT(genuine())
      .setProtectedHeader({ alg: 'RS256' }).sign(privateKey), 'wrong_algorithm'],
    ['changed payload', `${header}.${altered}.${signature}`, 'bad_signature'],
    ['signature removed', `${header}.${payload}.`, 'unsigned'],
    ['expired', await forge({ ...genuine(), iat: now() - DAY - 60,
      exp: now() - 60 }, secret), 'expired'],
    ['not yet valid', await forge({ ...genuine(), nbf: now() + 3600 },
      secret), 'not_yet_valid'],
    ['no expiry', await forge({ ...genuine(), exp: undefined }, secret),
      'missing_claim'],
    ['issued over 24 h ago, expiring far ahead', await forge({ ...genuine(),
      iat: now() - DAY - 60, exp: now() + DAY }, secret), 'expired']
  ]

  for (const [label, token] of cases) {
    await assertRefused(t, test.app, token, label)
  }
  t.equal((await readMe(test.app, user.token)).statusCode, 200,
    'the genuine token still works')

  const rejected = (await eventsAfter(test, before))
    .filter((e) => e.type === 'TokenRejected')
  t.same(rejected.map((e) => (e.data as { reason: string }).reason),
    cases.map(([, , reason]) => reason), 'each recorded with its reason')
  t.notOk(JSON.stringify(rejected).includes(claims.payload.jti!),
    'no token content in the events')
})

t.test('a token forged with the right secret and an unknown session is refused', async (t) => {
  const token = await forge({ ...genuine(),
    jti: '00000000-0000-4000-8000-000000000000' }, test.jwtSecret)

  await assertRefused(t, test.app, token, 'no such session')
})

async function buildOver (t: Test, test: TestApp, secrets: {
  jwtSecret: Buffer, jwtPreviousSecret?: Buffer
}) {
  const app = await buildApp({
    services: test.services,
    sessions: new PostgresSessionStore(test.database.db),
    ...secrets
  }, { rateLimit: { exemptAddresses: ['127.0.0.1'] } })
  t.teardown(() => app.close())

  return app
}

t.test('after a rotation old tokens live until they expire; new ones use the new secret', async (t) => {
  const oldSecret = test.jwtSecret
  const newSecret = randomBytes(32)
  const rotated = await buildOver(t, test, { jwtSecret: newSecret,
    jwtPreviousSecret: oldSecret })
  const forgotten = await buildOver(t, test, { jwtSecret: newSecret })

  t.equal((await readMe(rotated, user.token)).statusCode, 200,
    'a token signed before the rotation still works')
  await assertRefused(t, forgotten, user.token,
    'once the previous secret is dropped it does not')

  const login = await rotated.inject({ method: 'POST',
    url: '/api/users/login',
    payload: { email: user.email, password: user.password } })
  const fresh = login.json().token as string
  t.equal(decodeProtectedHeader(fresh).kid, keyIdOf(newSecret))
  await t.resolves(jwtVerify(fresh, newSecret, { algorithms: ['HS256'] }))
  await t.rejects(jwtVerify(fresh, oldSecret), 'not signed with the old one')
  await assertRefused(t, test.app, fresh,
    'a server that only knows the old secret refuses it')

  const expiredOld = await forge({ ...genuine(), iat: now() - DAY - 60,
    exp: now() - 60 }, oldSecret, { alg: 'HS256', kid: keyIdOf(oldSecret) })
  await assertRefused(t, rotated, expiredOld,
    'an expired token of the previous secret')
  const newKidOldSecret = await forge(genuine(), oldSecret,
    { alg: 'HS256', kid: keyIdOf(newSecret) })
  await assertRefused(t, rotated, newKidOldSecret,
    'a kid cannot pick a secret the signature does not match')
})

t.test('the app refuses to build with a secret under 256 bits', async (t) => {
  for (const secrets of [{ jwtSecret: randomBytes(31) },
    { jwtSecret: randomBytes(32), jwtPreviousSecret: randomBytes(16) }]) {
    await t.rejects(buildApp({
      services: test.services,
      sessions: new PostgresSessionStore(test.database.db),
      ...secrets
    }), { code: 'CR_ERR_CONFIG_SECRET', message: /256 bits/ })
  }
})
