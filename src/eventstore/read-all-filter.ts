/**
 * readAll's filter, applied in memory by adapters whose engine cannot apply
 * it whole (EventStoreDB filters on stream or type, never both). An absent
 * or empty list places no restriction.
 */
import type { ReadAllFilter } from './event-store.ts'

export function matchesFilter (
  event: { readonly stream: string, readonly type: string },
  filter: ReadAllFilter = {}
) {
  const prefixes = filter.streamPrefixes ?? []
  const types = filter.eventTypes ?? []

  return (prefixes.length === 0 ||
      prefixes.some((prefix) => event.stream.startsWith(prefix))) &&
    (types.length === 0 || types.includes(event.type))
}
