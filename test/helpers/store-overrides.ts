/**
 * An event store with some of its methods replaced, to slow, gate, count or
 * break them in a test; every other member is the store's own. Methods are
 * bound to the real store, since adapters keep #private fields that a call
 * on the wrapper could not reach.
 */
import type { EventStore } from '../../src/eventstore/event-store.ts'

export function overrideStore (
  store: EventStore,
  overrides: Partial<EventStore>
): EventStore {
  return new Proxy(store, {
    get (target, property, receiver) {
      if (Object.hasOwn(overrides, property)) {
        return overrides[property as keyof EventStore]
      }
      const value = Reflect.get(target, property, receiver)

      return typeof value === 'function' ? value.bind(target) : value
    }
  })
}
