/**
 * The event store on EventStoreDB (production), through the gRPC client.
 * Stream revisions are the server's; global positions are $all commit
 * positions; event metadata travels as the event's JSON metadata.
 */
import {
  BACKWARDS,
  END,
  FORWARDS,
  START,
  StreamNotFoundError,
  type EventStoreDBClient
} from '@eventstore/db-client'

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
import { InvalidAppendError } from '../errors.ts'
import { matchesFilter } from '../read-all-filter.ts'
import {
  isSystemEvent,
  toEsdbEvent,
  toEsdbExpected,
  toRecordedEvent,
  translateError
} from './esdb-mapping.ts'
import { EsdbSubscription } from './esdb-subscription.ts'

export class EsdbEventStore implements EventStore {
  readonly name = 'eventstoredb'
  readonly #client: EventStoreDBClient
  readonly #subscriptions = new Set<EsdbSubscription>()

  constructor (client: EventStoreDBClient) {
    this.#client = client
  }

  async append (
    stream: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision
  ): Promise<AppendResult> {
    if (events.length === 0) {
      throw new InvalidAppendError(`append to ${stream} has no events`)
    }

    try {
      const result = await this.#client.appendToStream(stream,
        events.map(toEsdbEvent), { expectedRevision: toEsdbExpected(expected) })
      const revision = result.nextExpectedRevision

      return { revision, position: await this.#positionOf(stream, revision) }
    } catch (error) {
      throw translateError(error, stream, expected)
    }
  }

  async readStream (
    stream: string,
    options: ReadStreamOptions = {}
  ): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards'
    const read = this.#client.readStream(stream, {
      direction: backwards ? BACKWARDS : FORWARDS,
      fromRevision: options.fromRevision ?? (backwards ? END : START),
      ...(options.limit === undefined ? {} : { maxCount: options.limit })
    })
    const events: RecordedEvent[] = []
    try {
      for await (const resolved of read) {
        if (resolved.event !== undefined) {
          events.push(toRecordedEvent(resolved.event))
        }
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return []
      throw translateError(error)
    }

    return events
  }

  async readAll (options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const after = options.afterPosition ?? 0n
    const limit = options.limit ?? Number.POSITIVE_INFINITY
    const events: RecordedEvent[] = []
    if (limit <= 0) return events

    // $all holds system events too, so the page is filled here and the read
    // stops (cancelling the server's stream) once it is full.
    const read = this.#client.readAll({
      direction: FORWARDS,
      fromPosition: after === 0n ? START : { commit: after, prepare: after }
    })
    try {
      for await (const resolved of read) {
        const event = resolved.event
        if (event === undefined || isSystemEvent(event)) continue
        const recorded = toRecordedEvent(event)
        if (recorded.position <= after) continue
        if (!matchesFilter(recorded, options.filter)) continue
        events.push(recorded)
        if (events.length >= limit) break
      }
    } catch (error) {
      throw translateError(error)
    }

    return events
  }

  subscribeAll (options?: SubscribeAllOptions): Subscription {
    const subscription = new EsdbSubscription(this.#client, options)
    this.#subscriptions.add(subscription)

    return subscription
  }

  async headPosition (): Promise<bigint> {
    const read = this.#client.readAll({
      direction: BACKWARDS,
      fromPosition: END
    })
    try {
      for await (const resolved of read) {
        const event = resolved.event
        if (event !== undefined && !isSystemEvent(event)) {
          return event.position.commit
        }
      }
    } catch (error) {
      throw translateError(error)
    }

    return 0n
  }

  async close () {
    const open = [...this.#subscriptions]
    this.#subscriptions.clear()
    await Promise.all(open.map((subscription) => subscription.close()))
    await this.#client.dispose()
  }

  /** The server reports one position per append; the port wants the last
   * event's, so it is read back from the stream. */
  async #positionOf (stream: string, revision: bigint) {
    const [last] = await this.readStream(stream, {
      fromRevision: revision,
      limit: 1
    })

    return last?.position ?? 0n
  }
}
