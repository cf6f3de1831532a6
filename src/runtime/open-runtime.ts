/**
 * Opens every engine the configuration names (see the README's table), or
 * the embedded default for each one that is not configured, and wires the
 * write side's services. A configured engine that cannot be reached fails
 * here, at start-up, never later by falling back to something else.
 */
import { join } from 'node:path'

import type { FastifyBaseLogger } from 'fastify'
import type { Redis } from 'ioredis'

import type { CommandServices } from '../commands/command-context.ts'
import type { Config } from '../config/load-config.ts'
import { PersonalDataCodec } from '../crypto/personal-data-codec.ts'
import { SubjectKeyStore } from '../crypto/subject-key-store.ts'
import type { EventStore } from '../eventstore/event-store.ts'
import { openEventStore } from '../eventstore/open-event-store.ts'
import { PostgresSessionStore } from '../http/auth/postgres-session-store.ts'
import { RedisSessionStore } from '../http/auth/redis-session-store.ts'
import type { SessionStore } from '../http/auth/session-store.ts'
import { openDatabase, type DatabaseHandle } from '../storage/database.ts'
import { migrateToLatest } from '../storage/migrate.ts'
import { claimDataDir } from './data-dir-lock.ts'
import { closeRedis, openRedis } from './open-redis.ts'

export interface Runtime {
  readonly config: Config
  readonly database: DatabaseHandle
  readonly store: EventStore
  readonly services: CommandServices
  readonly sessions: SessionStore
  /** Shared counters (rate limits), when REDIS_URL is set. */
  readonly redis?: Redis
  /** Migrations this opening applied (none when the schema was current). */
  readonly applied: readonly string[]
  close(): Promise<void>
}

export async function openRuntime (
  config: Config,
  logger?: FastifyBaseLogger
): Promise<Runtime> {
  const releaseDataDir = config.databaseUrl === undefined
    ? claimDataDir(config.dataDir)
    : () => undefined
  const database = await openDatabase(config.databaseUrl === undefined
    ? { pgliteDir: join(config.dataDir, 'pglite') }
    : { url: config.databaseUrl })
  const applied = await migrateToLatest(database.db)
  if (applied.length > 0) logger?.info({ applied }, 'schema migrated')

  const store = await openEventStore({
    eventStoreUrl: config.eventStoreUrl,
    db: database.db
  })
  const keys = new SubjectKeyStore({
    db: database.db,
    keyEncryptionKey: config.secrets.keyEncryptionKey
  })
  const services: CommandServices = {
    store,
    db: database.db,
    keys,
    codec: new PersonalDataCodec({ keys }),
    blindIndexKey: config.secrets.blindIndexKey,
    now: () => new Date()
  }
  logger?.info({ database: database.engine, eventStore: store.name },
    'engines open')
  // Opened last, so a Redis that cannot be reached releases what is open.
  let redis: Redis | undefined
  try {
    redis = config.redisUrl === undefined
      ? undefined
      : await openRedis(config.redisUrl, (error) =>
        logger?.warn({ err: error }, 'redis connection failed'))
  } catch (error) {
    await store.close()
    await database.close()
    releaseDataDir()
    throw error
  }

  return {
    config,
    database,
    store,
    services,
    // With Redis every replica sees a revocation at once, from the store
    // the rate limits share; without it, PostgreSQL is shared the same way.
    sessions: redis === undefined
      ? new PostgresSessionStore(database.db)
      : new RedisSessionStore(redis),
    redis,
    applied,
    async close () {
      if (redis !== undefined) await closeRedis(redis)
      await store.close()
      await database.close()
      releaseDataDir()
    }
  }
}
