/**
 * Every way a session ends, through the running app, once over the default
 * store (PostgreSQL) and once over Redis (when TEST_REDIS_URL is set): a
 * revoked token is a 401 at once.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { Redis } from 'ioredis'
import t, { type Test } from 'tap'

import { loadConfig } from '../../../src/config/load-config.ts'
import { buildApp } from '../../../src/http/app.ts'
import { PostgresSessionStore } from '../../../src/http/auth/postgres-session-store.ts'
import { RedisSessionStore } from '../../../src/http/auth/redis-session-store.ts'
import type { SessionStore } from '../../../src/http/auth/session-store.ts'
import { openRuntime } from '../../../src/runtime/open-runtime.ts'
import { buildTestApp, signUp, type TestApp } from '../../helpers/app.ts'
import { eventsAfter, lastPosition } from '../../helpers/event-log.ts'

const TEST_REDIS_URL = process.env.TEST_REDIS_URL || undefined
const noRedis = TEST_REDIS_URL === undefined
  ? 'TEST_REDIS_URL is not set'
  : false

const base = await buildTestApp(t)

async function appOver (t: Test, sessions: SessionStore): Promise<TestApp> {
  const app = await buildApp({
    services: base.services,
    sessions,
    jwtSecret: base.jwtSecret
  }, { rateLimit: { exemptAddresses: ['127.0.0.1'] } })
  t.teardown(() => app.close())

  return { ...base, app }
}

const stores: Record<string, (t: Test) => Promise<SessionStore>> = {
  postgres: async () => new PostgresSessionStore(base.database.db),
  redis: async (t) => {
    const redis = new Redis(TEST_REDIS_URL!)
    t.teardown(() => redis.quit())

    return new RedisSessionStore(redis, { keyPrefix: `test:${randomUUID()}:` })
  }
}

for (const [name, open] of Object.entries(stores)) {
  t.test(`revocation with sessions in ${name}`, {
    skip: name === 'redis' ? noRedis : false
  }, async (t) => {
    const test = await appOver(t, await open(t))
    const admin = await signUp(test, 'admin')
    const readMe = (auth: { authorization: string }) =>
      test.app.inject({ method: 'GET', url: '/api/users/me', headers: auth })
    const secondSession = async (user: { email: string, password: string }) => {
      const login = await test.app.inject({ method: 'POST',
        url: '/api/users/login',
        payload: { email: user.email, password: user.password } })

      return { authorization: `Bearer ${login.json().token as string}` }
    }

    t.test('logout revokes that token only', async (t) => {
      const user = await signUp(test)
      const other = await secondSession(user)

      const out = await test.app.inject({ method: 'POST',
        url: '/api/users/logout', headers: user.auth })

      t.equal(out.statusCode, 204)
      const before = await lastPosition(test)
      t.equal((await readMe(user.auth)).statusCode, 401)
      t.equal((await readMe(other)).statusCode, 200)
      const refused = await eventsAfter(test, before)
      t.same(refused.map((e) => [e.type, e.data]), [['TokenRejected',
        { credential: 'session_token', reason: 'revoked',
          userId: user.userId, method: 'GET', route: '/api/users/me' }]],
      'the revoked token\'s use is recorded, naming its user')
    })

    t.test('a password change revokes every other token', async (t) => {
      const user = await signUp(test)
      const other = await secondSession(user)

      const changed = await test.app.inject({ method: 'POST',
        url: '/api/users/me/password', headers: user.auth,
        payload: { currentPassword: user.password,
          newPassword: 'Quartz-Meadow-Falcon-31' } })

      t.equal(changed.statusCode, 204)
      t.equal((await readMe(user.auth)).statusCode, 200)
      t.equal((await readMe(other)).statusCode, 401)
    })

    t.test('a role change revokes every token of the user', async (t) => {
      const user = await signUp(test)
      const other = await secondSession(user)

      const changed = await test.app.inject({ method: 'PUT',
        url: `/api/admin/users/${user.userId}/role`, headers: admin.auth,
        payload: { role: 'vendor' } })

      t.equal(changed.statusCode, 200)
      t.equal((await readMe(user.auth)).statusCode, 401)
      t.equal((await readMe(other)).statusCode, 401)
      t.equal((await readMe(admin.auth)).statusCode, 200, 'not the admin\'s')
    })

    t.test('erasure revokes every token of the user', async (t) => {
      const user = await signUp(test)
      const other = await secondSession(user)

      const erased = await test.app.inject({ method: 'DELETE',
        url: '/api/users/me', headers: user.auth })

      t.equal(erased.statusCode, 204)
      t.equal((await readMe(user.auth)).statusCode, 401)
      t.equal((await readMe(other)).statusCode, 401)
    })
  })
}

function runtimeEnv (t: Test) {
  const dataDir = mkdtempSync(join(tmpdir(), 'cr-sessions-'))
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
  const secret = () => randomBytes(32).toString('base64')

  return { DATA_DIR: dataDir, LOG_LEVEL: 'silent', JWT_SECRET: secret(),
    KEY_ENCRYPTION_KEY: secret(), BLIND_INDEX_KEY: secret() }
}

t.test('without REDIS_URL the runtime keeps sessions in PostgreSQL', async (t) => {
  const runtime = await openRuntime(loadConfig(runtimeEnv(t), () => undefined))
  t.teardown(() => runtime.close())

  t.ok(runtime.sessions instanceof PostgresSessionStore)
  t.equal(runtime.redis, undefined)
})

t.test('with REDIS_URL the runtime keeps sessions in that Redis', {
  skip: noRedis
}, async (t) => {
  const runtime = await openRuntime(loadConfig({ ...runtimeEnv(t),
    REDIS_URL: TEST_REDIS_URL! }, () => undefined))
  t.teardown(() => runtime.close())

  t.ok(runtime.sessions instanceof RedisSessionStore)
  const user = randomUUID()
  await runtime.sessions.open(user, 'r1', new Date(Date.now() + 60_000))
  t.equal(await runtime.redis!.exists(`cloudretail:session:${user}:r1`), 1,
    'on the runtime\'s one Redis client')
  await runtime.sessions.closeAll(user)
  t.equal(await runtime.redis!.exists(`cloudretail:session:${user}:r1`), 0)
})
