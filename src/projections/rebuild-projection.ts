/**
 * Rebuilds one projection from the start of the log without taking its
 * queries down. Fresh copies of its tables are built in a side schema while
 * queries (and the live projector) keep using the current ones; then one
 * transaction drops the current tables, moves the rebuilt ones into their
 * place and sets the checkpoint to where the rebuild got. Finally the tail
 * written meanwhile is caught up.
 *
 * The copies are made with `create table … (like … including all)`, which
 * carries columns, defaults, checks and indexes, and names the indexes after
 * the table and columns as PostgreSQL does by default. The migrations name
 * their indexes the same way, so names survive a swap. Foreign keys would
 * not be copied; read-model tables have none.
 */
import { sql, type Kysely } from 'kysely'

import type { EventStore } from '../eventstore/event-store.ts'
import type { Database } from '../storage/schema.ts'
import {
  deleteCheckpoint,
  lockCheckpoint,
  writeCheckpoint
} from './checkpoint-store.ts'
import { findProjection } from './index.ts'
import type { Projection, Reveal } from './projection.ts'
import { ProjectionBusyError } from './projection-errors.ts'
import { openProjectionLocks } from './projection-lock.ts'
import {
  catchUpProjection,
  type CatchUpOptions
} from './projection-runner.ts'

/** Where tables are built during a rebuild. */
export const REBUILD_SCHEMA = 'projection_rebuild'

export interface RebuildResult {
  readonly name: string
  /** Events read into the rebuilt tables before the swap. */
  readonly events: number
  /** The checkpoint the swap installed. */
  readonly swappedAt: bigint
  /** The checkpoint once the tail was caught up. */
  readonly checkpoint: bigint
}

export interface RebuildOptions extends CatchUpOptions {
  /** Runs after the rebuilt tables are complete and before the swap. */
  readonly beforeSwap?: () => Promise<void>
}

export function rebuildCheckpointName (name: string) {
  return `${name}__rebuild`
}

export async function rebuildProjection (
  store: EventStore,
  db: Kysely<Database>,
  projectionOrName: Projection | string,
  reveal: Reveal,
  options: RebuildOptions = {}
): Promise<RebuildResult> {
  const projection = typeof projectionOrName === 'string'
    ? findProjection(projectionOrName)
    : projectionOrName
  const rebuildName = rebuildCheckpointName(projection.name)
  const locks = await openProjectionLocks(db)
  try {
    const held = await locks.tryAcquire([rebuildName])
    if (!held.has(rebuildName)) {
      throw new ProjectionBusyError(projection.name, 'a rebuild')
    }

    await prepareSideTables(db, projection)
    const built = await catchUpProjection(store, db, projection, reveal,
      { checkpointName: rebuildName, schema: REBUILD_SCHEMA }, options)
    await options.beforeSwap?.()
    const swappedAt = await swapIn(db, projection)
    const tail = await catchUpProjection(store, db, projection, reveal,
      { checkpointName: projection.name }, options)

    return {
      name: projection.name,
      events: built.events,
      swappedAt,
      checkpoint: tail.checkpoint
    }
  } finally {
    await locks.release()
  }
}

/** Empty copies of the projection's tables, and no rebuild checkpoint:
 * a rebuild that died half-way starts over. */
async function prepareSideTables (db: Kysely<Database>, projection: Projection) {
  await db.transaction().execute(async (trx) => {
    await sql`create schema if not exists ${sql.id(REBUILD_SCHEMA)}`
      .execute(trx)
    for (const table of projection.tables) {
      const side = sql.table(`${REBUILD_SCHEMA}.${table}`)
      await sql`drop table if exists ${side}`.execute(trx)
      await sql`create table ${side} (like ${sql.table(table)} including all)`
        .execute(trx)
    }
    await deleteCheckpoint(trx, rebuildCheckpointName(projection.name))
  })
}

/**
 * Locking the live checkpoint first makes a live projector's batch either
 * commit before the swap or start after it, against the new tables; the
 * drop waits for queries still reading the old ones.
 */
async function swapIn (db: Kysely<Database>, projection: Projection) {
  const rebuildName = rebuildCheckpointName(projection.name)

  return await db.transaction().execute(async (trx) => {
    await lockCheckpoint(trx, projection.name)
    const position = await lockCheckpoint(trx, rebuildName)
    const { rows } = await sql<{ schema: string }>`
      select current_schema() as schema`.execute(trx)
    const liveSchema = sql.id(rows[0]?.schema ?? 'public')

    for (const table of projection.tables) {
      await sql`drop table ${sql.table(table)}`.execute(trx)
      await sql`alter table ${sql.table(`${REBUILD_SCHEMA}.${table}`)}
        set schema ${liveSchema}`.execute(trx)
    }
    await writeCheckpoint(trx, projection.name, position)
    await deleteCheckpoint(trx, rebuildName)

    return position
  })
}
