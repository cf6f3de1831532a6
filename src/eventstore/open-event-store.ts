/**
 * Picks the event store the configuration names: EventStoreDB when
 * EVENTSTORE_URL is set, else the events table of the service's PostgreSQL.
 */
import type { Kysely } from 'kysely'

import type { Database } from '../storage/schema.ts'
import { EventStoreUnavailableError } from './errors.ts'
import type { EventStore } from './event-store.ts'
import { createPostgresEventStore } from './postgres/postgres-event-store.ts'

export interface EventStoreTarget {
  readonly eventStoreUrl?: string
  readonly db: Kysely<Database>
}

export async function openEventStore (
  target: EventStoreTarget
): Promise<EventStore> {
  if (target.eventStoreUrl !== undefined) {
    throw new EventStoreUnavailableError(
      'EVENTSTORE_URL is set, but this build has no EventStoreDB adapter yet')
  }

  return createPostgresEventStore(target.db)
}
