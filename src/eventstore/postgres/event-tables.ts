/**
 * The PostgreSQL adapter's tables as Kysely sees them. int8 columns come back
 * as strings (see src/storage/database.ts); jsonb is written as JSON text and
 * read back parsed.
 */
import type { ColumnType, Generated } from 'kysely'

import type { EventMetadata } from '../event-metadata.ts'
import type { EventData } from '../event-store.ts'

export interface EventsTable {
  /** Global position: an identity column, never written by the adapter. */
  readonly position: ColumnType<string, never, never>
  readonly stream_id: string
  readonly stream_revision: ColumnType<string, bigint | string, never>
  readonly event_id: string
  readonly type: string
  readonly data: ColumnType<EventData, string, never>
  readonly metadata: ColumnType<EventMetadata, string, never>
  readonly recorded_at: ColumnType<Date, never, never>
  /** The writing transaction's id (xid8), set by the column default. */
  readonly transaction_id: ColumnType<string, never, never>
}

export interface StreamsTable {
  readonly stream_id: string
  /** Revision of the stream's last event. */
  readonly revision: ColumnType<string, bigint | string, bigint | string>
  readonly updated_at: Generated<Date>
}

export interface EventTables {
  events: EventsTable
  streams: StreamsTable
}
