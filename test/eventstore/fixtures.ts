/**
 * Events and stream names for the event store tests. Every name carries a
 * fresh run id, so tests can share one store (EventStoreDB keeps its data)
 * and still read only their own events through a stream-prefix filter.
 */
import { randomUUID } from 'node:crypto'

import type { EventMetadata } from '../../src/eventstore/event-metadata.ts'
import type { EventData, NewEvent } from '../../src/eventstore/event-store.ts'
import type { UnsealedEvent } from '../../src/eventstore/hash-chain.ts'

export function createRunId () {
  return `t${randomUUID().replaceAll('-', '').slice(0, 16)}`
}

export function buildUnsealedEvent (
  type = 'ThingHappened',
  data: EventData = {}
): UnsealedEvent {
  const correlationId = randomUUID()

  return {
    type,
    data,
    metadata: {
      eventId: randomUUID(),
      occurredAt: new Date().toISOString(),
      schemaVersion: 1,
      actor: { kind: 'system', id: 'contract-test' },
      correlationId,
      causationId: correlationId
    }
  }
}

/** An event outside any hash chain: its chain fields are left empty. */
export function buildEvent (
  type = 'ThingHappened',
  data: EventData = {}
): NewEvent {
  const { metadata, ...event } = buildUnsealedEvent(type, data)
  const sealed: EventMetadata = { ...metadata, previousHash: '', hash: '' }

  return { ...event, metadata: sealed }
}

export function buildEvents (count: number, type = 'ThingHappened') {
  return Array.from({ length: count }, (_, index) =>
    buildEvent(type, { index }))
}
