/**
 * The event store on PostgreSQL, server or PGlite alike, through the same
 * Kysely instance as the rest of the system. The database belongs to the
 * caller: closing the store ends its subscriptions, not the database.
 */
import type { Kysely } from 'kysely'

import type { Database } from '../../storage/schema.ts'
import { getAppendSignal, type AppendSignal } from '../append-signal.ts'
import type {
  AppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeAllOptions,
  Subscription
} from '../event-store.ts'
import {
  DEFAULT_POLLING,
  PollingSubscription,
  type PollingOptions
} from '../polling-subscription.ts'
import { appendEvents } from './append-events.ts'
import { selectAll, selectHeadPosition, selectStream } from './read-events.ts'

export class PostgresEventStore implements EventStore {
  readonly name = 'postgres'
  readonly #db: Kysely<Database>
  readonly #signal: AppendSignal
  readonly #polling: PollingOptions
  readonly #subscriptions = new Set<PollingSubscription>()

  constructor (db: Kysely<Database>, polling: Partial<PollingOptions> = {}) {
    this.#db = db
    this.#signal = getAppendSignal(db)
    this.#polling = { ...DEFAULT_POLLING, ...polling }
  }

  async append (
    stream: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision
  ): Promise<AppendResult> {
    const result = await appendEvents(this.#db, stream, events, expected)
    this.#signal.notify()

    return result
  }

  readStream (
    stream: string,
    options?: ReadStreamOptions
  ): Promise<RecordedEvent[]> {
    return selectStream(this.#db, stream, options)
  }

  readAll (options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return selectAll(this.#db, options)
  }

  subscribeAll (options?: SubscribeAllOptions): Subscription {
    const subscription = new PollingSubscription(
      (page) => selectAll(this.#db, page),
      this.#signal,
      options,
      this.#polling
    )
    this.#subscriptions.add(subscription)

    return subscription
  }

  headPosition (): Promise<bigint> {
    return selectHeadPosition(this.#db)
  }

  async close () {
    const open = [...this.#subscriptions]
    this.#subscriptions.clear()
    await Promise.all(open.map((subscription) => subscription.close()))
  }
}

export function createPostgresEventStore (
  db: Kysely<Database>,
  polling?: Partial<PollingOptions>
): EventStore {
  return new PostgresEventStore(db, polling)
}
