/**
 * Pulls a subscription into memory ahead of the projector, so the projector
 * can take whatever has arrived as one batch instead of one event at a time.
 * It stops pulling while a batch's worth is waiting (back-pressure).
 */
import type {
  RecordedEvent,
  Subscription
} from '../eventstore/event-store.ts'

export interface EventBuffer {
  /**
   * Up to `max` events in log order, as soon as at least one has arrived, or
   * none once `waitMs` has passed or `wake` was called.
   */
  take(max: number, waitMs: number): Promise<RecordedEvent[]>
  wake(): void
  /** Ends the subscription and drops whatever was not taken. */
  close(): Promise<void>
  /** The subscription's failure, if it ended with one. */
  readonly failure: unknown
  readonly ended: boolean
}

export function bufferSubscription (
  subscription: Subscription,
  highWater: number
): EventBuffer {
  const queue: RecordedEvent[] = []
  let notify: (() => void) | undefined
  let drained: (() => void) | undefined
  const state = { failure: undefined as unknown, ended: false }
  const signal = () => {
    notify?.()
    notify = undefined
  }

  void (async () => {
    try {
      for await (const event of subscription) {
        queue.push(event)
        signal()
        if (queue.length >= highWater) {
          await new Promise<void>((resolve) => { drained = resolve })
        }
      }
    } catch (error) {
      state.failure = error
    } finally {
      state.ended = true
      signal()
    }
  })()

  return {
    get failure () { return state.failure },
    get ended () { return state.ended },
    wake: signal,
    async close () {
      queue.length = 0
      drained?.()
      drained = undefined
      await subscription.close()
    },
    async take (max, waitMs) {
      if (queue.length === 0 && !state.ended) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, waitMs)
          notify = () => {
            clearTimeout(timer)
            resolve()
          }
        })
      }
      const batch = queue.splice(0, max)
      drained?.()
      drained = undefined

      return batch
    }
  }
}
