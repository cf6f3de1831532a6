/**
 * subscribeAll over EventStoreDB's own catch-up subscription to $all: the
 * server pushes, so there is nothing to poll. System events are dropped on
 * the server; the port's filter (stream prefixes and types together) is
 * applied here.
 */
import {
  START,
  excludeSystemEvents,
  type AllStreamSubscription,
  type EventStoreDBClient
} from '@eventstore/db-client'

import type {
  RecordedEvent,
  SubscribeAllOptions,
  Subscription
} from '../event-store.ts'
import { matchesFilter } from '../read-all-filter.ts'
import { toRecordedEvent, translateError } from './esdb-mapping.ts'

export class EsdbSubscription implements Subscription {
  readonly #subscription: AllStreamSubscription
  readonly #options: SubscribeAllOptions
  #closed = false

  constructor (client: EventStoreDBClient, options: SubscribeAllOptions = {}) {
    const after = options.afterPosition ?? 0n
    this.#options = options
    this.#subscription = client.subscribeToAll({
      fromPosition: after === 0n ? START : { commit: after, prepare: after },
      filter: excludeSystemEvents()
    })
  }

  async * [Symbol.asyncIterator] (): AsyncIterator<RecordedEvent> {
    const after = this.#options.afterPosition ?? 0n
    try {
      for await (const resolved of this.#subscription) {
        if (this.#closed) return
        if (resolved.event === undefined) continue
        const event = toRecordedEvent(resolved.event)
        // The position a subscription starts from may itself be delivered.
        if (event.position <= after) continue
        if (matchesFilter(event, this.#options.filter)) yield event
      }
    } catch (error) {
      if (!this.#closed) throw translateError(error)
    }
  }

  async close () {
    if (this.#closed) return

    this.#closed = true
    await this.#subscription.unsubscribe()
  }
}
