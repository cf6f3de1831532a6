import { randomUUID } from 'node:crypto'

import { Redis } from 'ioredis'
import t, { type Test } from 'tap'

import { PostgresSessionStore } from '../../../src/http/auth/postgres-session-store.ts'
import { RedisSessionStore } from '../../../src/http/auth/redis-session-store.ts'
import {
  MemorySessionStore,
  type SessionStore
} from '../../../src/http/auth/session-store.ts'
import { openTestDatabase } from '../../helpers/database.ts'

const TEST_REDIS_URL = process.env.TEST_REDIS_URL || undefined
const DAY_MS = 24 * 60 * 60 * 1000

type OpenStore = (t: Test) => Promise<SessionStore>

const stores: Record<string, OpenStore> = {
  memory: async () => new MemorySessionStore(),
  postgres: async (t) => new PostgresSessionStore((await openTestDatabase(t)).db),
  redis: async (t) => {
    const redis = new Redis(TEST_REDIS_URL!)
    t.teardown(() => redis.quit())

    return new RedisSessionStore(redis, {
      keyPrefix: `test:${randomUUID()}:`
    })
  }
}

for (const [name, open] of Object.entries(stores)) {
  const skip = name === 'redis' && TEST_REDIS_URL === undefined
    ? 'TEST_REDIS_URL is not set'
    : false

  t.test(`${name} session store`, { skip }, async (t) => {
    const store = await open(t)
    const later = () => new Date(Date.now() + DAY_MS)
    const alice = randomUUID()
    const bob = randomUUID()

    t.test('an opened session is open for its user only', async (t) => {
      await store.open(alice, 'a1', later())

      t.equal(await store.isOpen(alice, 'a1'), true)
      t.equal(await store.isOpen(bob, 'a1'), false, 'another user')
      t.equal(await store.isOpen(alice, 'a2'), false, 'another token')
    })

    t.test('a session past its expiry is not open', async (t) => {
      await store.open(alice, 'old', new Date(Date.now() - 1000))

      t.equal(await store.isOpen(alice, 'old'), false)
    })

    t.test('close ends one session and leaves the others', async (t) => {
      await store.open(alice, 'c1', later())
      await store.open(alice, 'c2', later())

      await store.close(alice, 'c1')

      t.equal(await store.isOpen(alice, 'c1'), false)
      t.equal(await store.isOpen(alice, 'c2'), true)
    })

    t.test('closeAll ends every session of the user and no one else\'s', async (t) => {
      await store.open(alice, 'd1', later())
      await store.open(alice, 'd2', later())
      await store.open(bob, 'b1', later())

      await store.closeAll(alice)

      t.equal(await store.isOpen(alice, 'd1'), false)
      t.equal(await store.isOpen(alice, 'd2'), false)
      t.equal(await store.isOpen(bob, 'b1'), true)
      await store.open(alice, 'd3', later())
      t.equal(await store.isOpen(alice, 'd3'), true, 'new sessions work')
    })

    t.test('closeAllExcept keeps exactly the named session', async (t) => {
      await store.open(alice, 'e1', later())
      await store.open(alice, 'e2', later())
      await store.open(alice, 'e3', later())
      await store.open(bob, 'b2', later())

      await store.closeAllExcept(alice, 'e2')

      t.equal(await store.isOpen(alice, 'e1'), false)
      t.equal(await store.isOpen(alice, 'e2'), true)
      t.equal(await store.isOpen(alice, 'e3'), false)
      t.equal(await store.isOpen(bob, 'b2'), true)
    })
  })
}

t.test('redis keeps a session exactly until its token expires', {
  skip: TEST_REDIS_URL === undefined ? 'TEST_REDIS_URL is not set' : false
}, async (t) => {
  const redis = new Redis(TEST_REDIS_URL!)
  t.teardown(() => redis.quit())
  const prefix = `test:${randomUUID()}:`
  const store = new RedisSessionStore(redis, { keyPrefix: prefix })
  const user = randomUUID()
  const soon = Date.now() + 60_000
  const late = Date.now() + DAY_MS

  await store.open(user, 'short', new Date(soon))
  await store.open(user, 'long', new Date(late))

  t.equal(Number(await redis.pexpiretime(`${prefix}session:${user}:short`)), soon)
  t.equal(Number(await redis.pexpiretime(`${prefix}session:${user}:long`)), late)
  t.equal(Number(await redis.pexpiretime(`${prefix}sessions:${user}`)), late,
    'the user\'s set lives as long as the longest session')
  t.same((await redis.smembers(`${prefix}sessions:${user}`)).sort(),
    ['long', 'short'])

  await store.closeAll(user)
  t.same(await redis.keys(`${prefix}*`), [], 'nothing left behind')
})
