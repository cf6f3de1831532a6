/**
 * One append, one transaction: lock the stream, check its revision, insert
 * the events in global order, then move the stream's revision forward.
 *
 * Global order. Readers trust only events written by transactions older than
 * every transaction still running (see read-events.ts). That is gap-free only
 * if positions rise with transaction ids, so each append takes its
 * transaction id and its positions together, inside a short session lock:
 * the id is assigned by the transaction's first write, which is the insert.
 * Everything before it (the advisory stream lock, the revision read) writes
 * nothing, and commits still run in parallel.
 */
import { sql } from 'kysely'
import type { Kysely, Transaction } from 'kysely'

import type { Database } from '../../storage/schema.ts'
import {
  InvalidAppendError,
  WrongExpectedRevisionError,
  assertExpectedRevision,
  type ActualRevision
} from '../errors.ts'
import type {
  AppendResult,
  ExpectedRevision,
  NewEvent
} from '../event-store.ts'

// Two-key advisory locks live apart from one-key ones (used for streams
// here and for leader election elsewhere); 0x4352 spells 'CR'.
const ORDER_LOCK_CLASS = 0x43520000
const ORDER_LOCK_OBJECT = 1

// pg and PGlite take at most 65535 parameters per statement.
const INSERT_CHUNK_SIZE = 1000

export async function appendEvents (
  db: Kysely<Database>,
  stream: string,
  events: readonly NewEvent[],
  expected: ExpectedRevision
): Promise<AppendResult> {
  if (events.length === 0) {
    throw new InvalidAppendError(`append to ${stream} has no events`)
  }

  // One connection throughout, so the order lock can be released on it even
  // after the transaction failed.
  return await db.connection().execute(async (connection) => {
    const order = { locked: false }
    try {
      return await connection.transaction().execute((trx) =>
        appendInTransaction(trx, order, stream, events, expected))
    } finally {
      if (order.locked) await unlockOrder(connection)
    }
  })
}

async function appendInTransaction (
  trx: Transaction<Database>,
  order: { locked: boolean },
  stream: string,
  events: readonly NewEvent[],
  expected: ExpectedRevision
): Promise<AppendResult> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${stream}, 0))`
    .execute(trx)
  const actual = await readStreamRevision(trx, stream)
  assertExpectedRevision(stream, expected, actual)

  const first = actual === 'no_stream' ? 0n : actual + 1n
  const last = first + BigInt(events.length - 1)
  await sql`select pg_advisory_lock(${ORDER_LOCK_CLASS}, ${ORDER_LOCK_OBJECT})`
    .execute(trx)
  order.locked = true
  const positions = await insertEvents(trx, stream, first, events)
  await unlockOrder(trx)
  order.locked = false

  if (positions.length !== events.length) {
    throw new InvalidAppendError(
      `append to ${stream} repeats an event id already stored`)
  }
  await advanceStream(trx, stream, expected, actual, last)

  return { revision: last, position: positions[positions.length - 1]! }
}

async function readStreamRevision (
  trx: Transaction<Database>,
  stream: string
): Promise<ActualRevision> {
  const row = await trx
    .selectFrom('streams')
    .select('revision')
    .where('stream_id', '=', stream)
    .executeTakeFirst()

  return row === undefined ? 'no_stream' : BigInt(row.revision)
}

/** Returns the positions given, ascending; a duplicate event id is skipped,
 * so the insert cannot fail while the order lock is held. */
async function insertEvents (
  trx: Transaction<Database>,
  stream: string,
  first: bigint,
  events: readonly NewEvent[]
) {
  const rows = events.map((event, index) => ({
    stream_id: stream,
    stream_revision: String(first + BigInt(index)),
    event_id: event.metadata.eventId,
    type: event.type,
    data: JSON.stringify(event.data),
    metadata: JSON.stringify(event.metadata)
  }))
  const positions: bigint[] = []
  for (let start = 0; start < rows.length; start += INSERT_CHUNK_SIZE) {
    const inserted = await trx
      .insertInto('events')
      .values(rows.slice(start, start + INSERT_CHUNK_SIZE))
      .onConflict((conflict) => conflict.doNothing())
      .returning('position')
      .execute()
    positions.push(...inserted.map((row) => BigInt(row.position)))
  }

  return positions.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
}

/** The stream lock already excludes concurrent writers; the guarded write
 * makes a conflict impossible to miss even so. */
async function advanceStream (
  trx: Transaction<Database>,
  stream: string,
  expected: ExpectedRevision,
  actual: ActualRevision,
  last: bigint
) {
  const written = actual === 'no_stream'
    ? await trx
      .insertInto('streams')
      .values({ stream_id: stream, revision: String(last) })
      .onConflict((conflict) => conflict.doNothing())
      .executeTakeFirst()
      .then((result) => result.numInsertedOrUpdatedRows ?? 0n)
    : await trx
      .updateTable('streams')
      .set({ revision: String(last), updated_at: sql`now()` })
      .where('stream_id', '=', stream)
      .where('revision', '=', String(actual))
      .executeTakeFirst()
      .then((result) => result.numUpdatedRows)
  if (written !== 1n) {
    throw new WrongExpectedRevisionError(stream, expected, actual)
  }
}

function unlockOrder (executor: Kysely<Database>) {
  return sql`
    select pg_advisory_unlock(${ORDER_LOCK_CLASS}, ${ORDER_LOCK_OBJECT})`
    .execute(executor)
}
