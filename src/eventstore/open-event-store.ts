/**
 * Chooses the event store at start-up (DESIGN: runtime parts): EventStoreDB
 * when a URL is configured, which must answer or the start fails (never a
 * silent fallback), else the events table in the system's PostgreSQL.
 */
import type { Kysely } from 'kysely'

import type { Database } from '../storage/schema.ts'
import type { EventStore } from './event-store.ts'
import {
  connectEventStoreDb,
  type ConnectOptions
} from './eventstoredb/connect-eventstoredb.ts'
import { EsdbEventStore } from './eventstoredb/esdb-event-store.ts'
import { createPostgresEventStore } from './postgres/postgres-event-store.ts'

export interface OpenEventStoreOptions extends ConnectOptions {
  /** esdb://… ; unset or empty selects PostgreSQL. */
  readonly eventStoreUrl?: string
  /** The migrated database; used when no EventStoreDB URL is set. */
  readonly db: Kysely<Database>
}

export async function openEventStore (
  options: OpenEventStoreOptions
): Promise<EventStore> {
  const url = options.eventStoreUrl
  if (url === undefined || url === '') {
    return createPostgresEventStore(options.db)
  }

  return new EsdbEventStore(await connectEventStoreDb(url, options))
}
