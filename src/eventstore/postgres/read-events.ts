/**
 * Reads from the events table.
 *
 * Gap safety. Positions come from a sequence, so under concurrent appends a
 * larger position can commit before a smaller one. A reader of the global
 * order therefore sees only events whose transaction id lies below the xmin
 * of its own snapshot: every transaction older than that has ended, and
 * since appends take positions in transaction-id order (append-events.ts), no
 * smaller position can still appear. Stream reads need no such care: the
 * stream lock orders one stream's writers, and a writer must see the latest.
 */
import { sql } from 'kysely'
import type { Kysely, Selectable, SelectQueryBuilder } from 'kysely'

import type { Database } from '../../storage/schema.ts'
import type {
  ReadAllFilter,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent
} from '../event-store.ts'
import type { EventsTable } from './event-tables.ts'

const isSettled = sql<boolean>`
  transaction_id < pg_snapshot_xmin(pg_current_snapshot())`

export async function selectStream (
  db: Kysely<Database>,
  stream: string,
  options: ReadStreamOptions = {}
): Promise<RecordedEvent[]> {
  const backwards = options.direction === 'backwards'
  let query = db
    .selectFrom('events')
    .selectAll()
    .where('stream_id', '=', stream)
    .orderBy('stream_revision', backwards ? 'desc' : 'asc')
  if (options.fromRevision !== undefined) {
    const from = String(options.fromRevision)
    query = query.where('stream_revision', backwards ? '<=' : '>=', from)
  }
  if (options.limit !== undefined) query = query.limit(options.limit)
  const rows = await query.execute()

  return rows.map(toRecordedEvent)
}

export async function selectAll (
  db: Kysely<Database>,
  options: ReadAllOptions = {}
): Promise<RecordedEvent[]> {
  let query = db
    .selectFrom('events')
    .selectAll()
    .where(isSettled)
    .where('position', '>', String(options.afterPosition ?? 0n))
    .orderBy('position')
  query = applyFilter(query, options.filter)
  if (options.limit !== undefined) query = query.limit(options.limit)
  const rows = await query.execute()

  return rows.map(toRecordedEvent)
}

export async function selectHeadPosition (db: Kysely<Database>) {
  const row = await db
    .selectFrom('events')
    .select('position')
    .where(isSettled)
    .orderBy('position', 'desc')
    .limit(1)
    .executeTakeFirst()

  return row === undefined ? 0n : BigInt(row.position)
}

/** An absent or empty list places no restriction. */
function applyFilter<Row> (
  query: SelectQueryBuilder<Database, 'events', Row>,
  filter: ReadAllFilter = {}
) {
  const prefixes = filter.streamPrefixes ?? []
  const types = filter.eventTypes ?? []
  if (prefixes.length > 0) {
    query = query.where((eb) => eb.or(prefixes.map((prefix) =>
      sql<boolean>`starts_with(stream_id, ${prefix})`)))
  }
  if (types.length > 0) query = query.where('type', 'in', types)

  return query
}

function toRecordedEvent (row: Selectable<EventsTable>): RecordedEvent {
  return {
    id: row.event_id,
    stream: row.stream_id,
    revision: BigInt(row.stream_revision),
    position: BigInt(row.position),
    type: row.type,
    data: row.data,
    metadata: row.metadata,
    recordedAt: row.recorded_at
  }
}
