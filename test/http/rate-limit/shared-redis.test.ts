/**
 * Replicas on one Redis share one budget, and report a refusal once
 * between them. Runs when TEST_REDIS_URL is set (the CI's PostgreSQL run
 * sets it); each test writes under its own key prefix and deletes it.
 */
import { randomBytes, randomUUID } from 'node:crypto'

import type { Redis } from 'ioredis'
import t, { type Test } from 'tap'

import { closeRedis, openRedis } from '../../../src/runtime/open-redis.ts'
import { buildTestApp, type TestApp } from '../../helpers/app.ts'
import { eventsAfter } from '../../helpers/event-log.ts'
import { emptyLogin, statusesOf } from '../../helpers/rate-limit.ts'

const TEST_REDIS_URL = process.env.TEST_REDIS_URL || undefined
const SKIP = TEST_REDIS_URL === undefined
  ? 'TEST_REDIS_URL is not set'
  : false
const FROM = { address: '203.0.113.30' }

async function openTestRedis (t: Test) {
  const redis = await openRedis(TEST_REDIS_URL!)
  const prefix = `cloudretail-test:${randomUUID()}:`
  t.teardown(async () => {
    await deleteKeys(redis, prefix)
    await closeRedis(redis)
  })

  return { redis, prefix }
}

/** Two replicas: their own databases, one Redis, one key prefix and the
 * one address key replicas share in production. */
async function buildReplicas (t: Test) {
  const { prefix } = await openTestRedis(t)
  const addressKey = randomBytes(32)
  const replica = async () => buildTestApp(t, { rateLimit: {
    redis: (await openTestRedis(t)).redis, keyPrefix: prefix, addressKey
  } })

  return [await replica(), await replica()] as const
}

t.test('two instances on one Redis share one budget', { skip: SKIP },
  async (t) => {
    const [a, b] = await buildReplicas(t)

    const statuses = await statusesOf(5, (index) =>
      emptyLogin((index % 2 === 0 ? a : b).app, FROM))
    t.same(statuses, [400, 400, 400, 400, 400], 'five between them')
    t.equal((await emptyLogin(a.app, FROM)).statusCode, 429)
    const fromB = await emptyLogin(b.app, FROM)
    t.equal(fromB.statusCode, 429)
    t.equal(fromB.headers['ratelimit-limit'], '5')
    t.ok(Number(fromB.headers['retry-after']) > 0)
  })

t.test('replicas record a refusal once between them', { skip: SKIP },
  async (t) => {
    const [a, b] = await buildReplicas(t)

    await statusesOf(12, (index) =>
      emptyLogin((index % 2 === 0 ? a : b).app, FROM))
    const recorded = [
      ...await refusalsIn(a),
      ...await refusalsIn(b)
    ]
    t.equal(recorded.length, 1)
  })

t.test('when Redis is gone requests are refused with 503, not let through',
  { skip: SKIP }, async (t) => {
    const { prefix } = await openTestRedis(t)
    const redis = await openRedis(TEST_REDIS_URL!)
    const test = await buildTestApp(t, {
      rateLimit: { redis, keyPrefix: prefix }
    })
    t.equal((await emptyLogin(test.app, FROM)).statusCode, 400)

    await closeRedis(redis)
    const refused = await emptyLogin(test.app, FROM)
    t.equal(refused.statusCode, 503)
    t.match(refused.json(), { code: 'CR_ERR_HTTP_RATE_LIMIT_UNAVAILABLE',
      detail: 'the service cannot take requests right now' })
    t.notOk(/redis|connection|closed/i.test(refused.body),
      'nothing about the cause')
  })

async function refusalsIn (test: TestApp) {
  return (await eventsAfter(test, 0n))
    .filter((event) => event.type === 'RateLimitExceeded')
}

async function deleteKeys (redis: Redis, prefix: string) {
  let cursor = '0'
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`,
      'COUNT', 1000)
    if (keys.length > 0) await redis.del(...keys)
    cursor = next
  } while (cursor !== '0')
}
