/**
 * subscribeAll for stores without a push feed: read pages of the global
 * order after the last event handed out; when a page comes back short the
 * subscriber has caught up, so it sleeps until the poll interval passes or an
 * append in this process wakes it. Safe only over a gap-free readAll.
 */
import type { AppendSignal } from './append-signal.ts'
import type {
  ReadAllOptions,
  RecordedEvent,
  SubscribeAllOptions,
  Subscription
} from './event-store.ts'

export interface PollingOptions {
  readonly pollIntervalMs: number
  readonly batchSize: number
}

export const DEFAULT_POLLING: PollingOptions = {
  pollIntervalMs: 25,
  batchSize: 500
}

type ReadAll = (options: ReadAllOptions) => Promise<RecordedEvent[]>

export class PollingSubscription implements Subscription {
  readonly #readAll: ReadAll
  readonly #signal: AppendSignal
  readonly #options: SubscribeAllOptions
  readonly #polling: PollingOptions
  readonly #closing = new AbortController()
  #reading: Promise<unknown> = Promise.resolve()
  #iterating = false

  constructor (
    readAll: ReadAll,
    signal: AppendSignal,
    options: SubscribeAllOptions = {},
    polling: PollingOptions = DEFAULT_POLLING
  ) {
    this.#readAll = readAll
    this.#signal = signal
    this.#options = options
    this.#polling = polling
  }

  async * [Symbol.asyncIterator] (): AsyncIterator<RecordedEvent> {
    if (this.#iterating) throw new Error('a subscription is iterated once')
    this.#iterating = true
    let after = this.#options.afterPosition ?? 0n
    while (!this.isClosed) {
      const seen = this.#signal.version
      const batch = await this.#readPage(after)
      for (const event of batch) {
        if (this.isClosed) return
        yield event
        after = event.position
      }
      if (batch.length < this.#polling.batchSize) await this.#sleep(seen)
    }
  }

  get isClosed () {
    return this.#closing.signal.aborted
  }

  /** Ends the iteration; resolves once no read is running any more, so the
   * database can be closed right after. */
  async close () {
    this.#closing.abort()
    await this.#reading.catch(() => undefined)
  }

  #readPage (after: bigint) {
    const page = this.#readAll({
      afterPosition: after,
      limit: this.#polling.batchSize,
      filter: this.#options.filter
    })
    this.#reading = page

    return page
  }

  async #sleep (seenVersion: number) {
    if (this.isClosed || this.#signal.version !== seenVersion) return

    await this.#signal.wait(this.#polling.pollIntervalMs, this.#closing.signal)
  }
}
