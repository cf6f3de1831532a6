import { randomUUID } from 'node:crypto'

import { Redis } from 'ioredis'
import t, { type Test } from 'tap'

import {
  createMemoryApiKeyRateLimiter,
  createRedisApiKeyRateLimiter,
  type ApiKeyRateLimiter
} from '../../../src/http/auth/api-key-rate-limit.ts'

const REDIS_URL = process.env.TEST_REDIS_URL
const HOUR = 60 * 60 * 1000
const start = new Date(Date.UTC(2030, 0, 1, 10, 0, 0))
const at = (ms: number) => new Date(start.getTime() + ms)

async function proveBudget (t: Test, limiter: ApiKeyRateLimiter) {
  const key = randomUUID()
  for (let i = 1; i <= 1000; i++) {
    const decision = await limiter.hit(key, at(i))
    if (!decision.allowed) {
      t.fail(`request ${i} was refused`)

      return
    }
  }

  const first = await limiter.hit(key, at(59 * 60 * 1000))
  const second = await limiter.hit(key, at(59 * 60 * 1000))
  t.match(first, { allowed: false, firstRefusal: true, count: 1001,
    limit: 1000 })
  t.match(second, { allowed: false, firstRefusal: false })
  t.same(first.resetAt, at(HOUR), 'the window ends on the hour')
  t.match(await limiter.hit(randomUUID(), at(10)), { allowed: true, count: 1 },
    'another key has its own count')
  t.match(await limiter.hit(key, at(HOUR)), { allowed: true, count: 1 },
    'a new hour starts from zero')
}

t.test('in memory: 1,000 requests an hour per key, then refusals', async (t) => {
  await proveBudget(t, createMemoryApiKeyRateLimiter())
})

t.test('in Redis: 1,000 requests an hour per key, shared by replicas', {
  skip: REDIS_URL === undefined ? 'TEST_REDIS_URL is not set' : false
}, async (t) => {
  const prefix = `test:apikey-rate:${randomUUID()}:`
  const clients = [new Redis(REDIS_URL!, { lazyConnect: true }),
    new Redis(REDIS_URL!, { lazyConnect: true })]
  t.teardown(async () => {
    const keys = await clients[0]!.keys(`${prefix}*`)
    if (keys.length > 0) await clients[0]!.del(...keys)
    for (const client of clients) client.disconnect()
  })
  for (const client of clients) await client.connect()

  await proveBudget(t, createRedisApiKeyRateLimiter(clients[0]!, { prefix }))

  const [a, b] = clients.map((client) =>
    createRedisApiKeyRateLimiter(client, { prefix, limit: 3 }))
  const key = randomUUID()
  const results = [await a!.hit(key, start), await b!.hit(key, start),
    await a!.hit(key, start), await b!.hit(key, start)]
  t.same(results.map((r) => r.allowed), [true, true, true, false],
    'two replicas spend one budget')
  t.ok(await clients[0]!.pttl(`${prefix}${key}:${start.getTime() / HOUR}`) > 0,
    'counters expire')
})
