/**
 * Catch-up: reads the global log after a projection's checkpoint in batches
 * and commits each batch, read-model rows and checkpoint together, in one
 * transaction. A crash mid-batch rolls both back, so on restart the batch is
 * read again from the same checkpoint: no event is applied twice or skipped.
 *
 * Every writer checks, under a row lock, that the checkpoint is still the
 * one it read from. If another writer (a second runner, or a rebuild that
 * swapped tables in) moved it, the batch is dropped and reading resumes from
 * the stored checkpoint. That makes concurrent runners safe, not merely
 * unlikely.
 */
import type { Kysely } from 'kysely'

import type { EventStore, RecordedEvent } from '../eventstore/event-store.ts'
import type { Database } from '../storage/schema.ts'
import {
  lockCheckpoint,
  readCheckpoint,
  writeCheckpoint
} from './checkpoint-store.ts'
import type { Projection, Reveal } from './projection.ts'
import { ProjectionApplyError } from './projection-errors.ts'

export const DEFAULT_BATCH_SIZE = 500

export interface CatchUpOptions {
  /** Events per transaction; default 500. */
  readonly batchSize?: number
  /** Checked between batches; true ends the catch-up early. */
  readonly isStopping?: () => boolean
  /** Read at least this far even if the head looked lower at the start. */
  readonly until?: bigint
}

/** Where a batch goes: the live tables, or a rebuild's tables beside them. */
export interface BatchTarget {
  readonly checkpointName: string
  /** Schema holding the tables apply writes; default the search path. */
  readonly schema?: string
}

export interface CatchUpResult {
  readonly name: string
  readonly checkpoint: bigint
  /** Events read and committed past the checkpoint (handled or skipped). */
  readonly events: number
}

/**
 * Brings each projection up to the head the store had when it started, one
 * projection after another, and returns.
 */
export async function runOnce (
  store: EventStore,
  db: Kysely<Database>,
  projections: readonly Projection[],
  reveal: Reveal,
  options: CatchUpOptions = {}
): Promise<CatchUpResult[]> {
  const results: CatchUpResult[] = []
  for (const projection of projections) {
    const target = { checkpointName: projection.name }
    results.push(
      await catchUpProjection(store, db, projection, reveal, target, options))
  }

  return results
}

export async function catchUpProjection (
  store: EventStore,
  db: Kysely<Database>,
  projection: Projection,
  reveal: Reveal,
  target: BatchTarget,
  options: CatchUpOptions = {}
): Promise<CatchUpResult> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE
  const head = maxOf(await store.headPosition(), options.until ?? 0n)
  let after = await readCheckpoint(db, target.checkpointName)
  let events = 0

  while (after < head && options.isStopping?.() !== true) {
    const batch = await store.readAll({ afterPosition: after, limit: batchSize })
    if (batch.length === 0) break

    const outcome = await commitBatch(db, projection, reveal, target, after,
      batch)
    if (outcome === 'stale') {
      after = await readCheckpoint(db, target.checkpointName)
      continue
    }

    after = lastPosition(batch)
    events += batch.length
  }

  return { name: target.checkpointName, checkpoint: after, events }
}

/**
 * Applies `events`, which must directly follow position `after` in the log,
 * and moves the checkpoint to the last of them, all in one transaction.
 * 'stale' (nothing written) when the stored checkpoint is no longer `after`.
 */
export async function commitBatch (
  db: Kysely<Database>,
  projection: Projection,
  reveal: Reveal,
  target: BatchTarget,
  after: bigint,
  events: readonly RecordedEvent[]
): Promise<'committed' | 'stale'> {
  // Revealing may read the key store; on PGlite's single connection that
  // has to happen before the transaction opens, or it would deadlock.
  const revealed = await revealHandled(projection, reveal, events)

  return await db.transaction().execute(async (trx) => {
    const checkpoint = await lockCheckpoint(trx, target.checkpointName)
    if (checkpoint !== after) return 'stale'

    const tables = target.schema === undefined
      ? trx
      : trx.withSchema(target.schema)
    for (const event of revealed) {
      await applyOne(tables, projection, event)
    }
    await writeCheckpoint(trx, target.checkpointName, lastPosition(events))

    return 'committed'
  })
}

async function revealHandled (
  projection: Projection,
  reveal: Reveal,
  events: readonly RecordedEvent[]
): Promise<RecordedEvent[]> {
  const handled = events.filter((event) =>
    projection.handles.includes(event.type))

  return await Promise.all(handled.map((event) => reveal(event)))
}

async function applyOne (
  trx: Kysely<Database>,
  projection: Projection,
  event: RecordedEvent
) {
  try {
    await projection.apply(trx, event)
  } catch (error) {
    throw new ProjectionApplyError(projection.name, event.position, event.type,
      error)
  }
}

function maxOf (a: bigint, b: bigint) {
  return a > b ? a : b
}

export function lastPosition (events: readonly RecordedEvent[]): bigint {
  const last = events[events.length - 1]
  if (last === undefined) throw new RangeError('an empty batch has no end')

  return last.position
}
