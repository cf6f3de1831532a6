/**
 * Remembers the position of the newest event this process appended, so a
 * shutting-down server can let its projector catch up to its own writes
 * before it exits: the last requests' events are then in the read models
 * already, not waiting for the next replica's projector.
 */
import type { EventStore } from './event-store.ts'

export interface TrackedEventStore {
  /** The same store; appends through it are remembered. */
  readonly store: EventStore
  /** Position of the last append that returned; 0n before any. */
  lastAppended(): bigint
}

export function trackAppends (store: EventStore): TrackedEventStore {
  let last = 0n
  // Delegation, not a prototype: adapters keep #private fields, which a
  // method called on another object could not reach.
  const tracked: EventStore = {
    name: store.name,
    append: async (stream, events, expected) => {
      const result = await store.append(stream, events, expected)
      if (result.position > last) last = result.position

      return result
    },
    readStream: (stream, options) => store.readStream(stream, options),
    readAll: (options) => store.readAll(options),
    subscribeAll: (options) => store.subscribeAll(options),
    headPosition: () => store.headPosition(),
    close: () => store.close()
  }

  return { store: tracked, lastAppended: () => last }
}
