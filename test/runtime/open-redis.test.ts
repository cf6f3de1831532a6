/**
 * REDIS_URL: a Redis that cannot be reached stops the start-up at once,
 * naming the failure but never the URL (it may hold a password), and
 * releases what the runtime had already opened.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import t from 'tap'

import { loadConfig } from '../../src/config/load-config.ts'
import { openRedis } from '../../src/runtime/open-redis.ts'
import { openRuntime } from '../../src/runtime/open-runtime.ts'

const UNREACHABLE = 'redis://:hunter2-secret@127.0.0.1:1'
const TEST_REDIS_URL = process.env.TEST_REDIS_URL || undefined

t.test('an unreachable Redis is refused at once without its URL',
  async (t) => {
    const error = await openRedis(UNREACHABLE).then(() => undefined,
      (reason: unknown) => reason as Error)

    t.match(error?.message, /^Redis at REDIS_URL cannot be reached: ECONNREFUSED$/)
    t.notOk(String(error?.message).includes('hunter2'))
  })

t.test('the runtime fails to open with an unreachable Redis and frees the data folder',
  async (t) => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cr-redis-runtime-'))
    t.teardown(() => rm(dataDir, { recursive: true, force: true }))
    const env = { DATA_DIR: dataDir }
    const quiet = () => {}

    await t.rejects(openRuntime(loadConfig({ ...env, REDIS_URL: UNREACHABLE },
      quiet)), { message: /cannot be reached/ })

    const runtime = await openRuntime(loadConfig(env, quiet))
    t.equal(runtime.redis, undefined, 'no REDIS_URL, no client')
    await runtime.close()
  })

t.test('with REDIS_URL the runtime holds a connected client and closes it',
  { skip: TEST_REDIS_URL === undefined ? 'TEST_REDIS_URL is not set' : false },
  async (t) => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cr-redis-runtime-'))
    t.teardown(() => rm(dataDir, { recursive: true, force: true }))
    const runtime = await openRuntime(loadConfig({ DATA_DIR: dataDir,
      REDIS_URL: TEST_REDIS_URL }, () => {}))

    t.equal(await runtime.redis?.ping(), 'PONG')
    await runtime.close()
    await t.rejects(runtime.redis!.ping(), 'closed with the runtime')
  })
