/**
 * Translations between the port and @eventstore/db-client: expected
 * revisions, events and errors. Positions are $all commit positions.
 */
import {
  ANY,
  NO_STREAM,
  UnavailableError,
  WrongExpectedVersionError,
  jsonEvent,
  type AllStreamRecordedEvent,
  type AppendExpectedRevision,
  type JSONType,
  type RecordedEvent as EsdbRecordedEvent
} from '@eventstore/db-client'

import {
  EventStoreUnavailableError,
  WrongExpectedRevisionError
} from '../errors.ts'
import type { EventMetadata } from '../event-metadata.ts'
import type {
  EventData,
  ExpectedRevision,
  NewEvent,
  RecordedEvent
} from '../event-store.ts'

// gRPC status UNAVAILABLE: appends reject with the raw gRPC error carrying
// it, reads with the client's UnavailableError (STACK-NOTES, pitfall 11).
const GRPC_UNAVAILABLE = 14

export function toEsdbExpected (
  expected: ExpectedRevision
): AppendExpectedRevision {
  if (expected === 'no_stream') return NO_STREAM
  if (expected === 'any') return ANY

  return expected
}

export function toEsdbEvent (event: NewEvent) {
  return jsonEvent({
    id: event.metadata.eventId,
    type: event.type,
    data: event.data as JSONType,
    metadata: { ...event.metadata } as JSONType
  })
}

/** Events the server writes for itself ($-prefixed) are never ours. */
export function isSystemEvent (event: { type: string, streamId: string }) {
  return event.type.startsWith('$') || event.streamId.startsWith('$')
}

export function toRecordedEvent (
  event: EsdbRecordedEvent | AllStreamRecordedEvent
): RecordedEvent {
  return {
    id: event.id,
    stream: event.streamId,
    revision: event.revision,
    position: event.position?.commit ?? 0n,
    type: event.type,
    data: event.data as EventData,
    metadata: event.metadata as unknown as EventMetadata,
    recordedAt: event.created
  }
}

/** Turns the client's errors into the port's; anything else is kept. */
export function translateError (
  error: unknown,
  stream?: string,
  expected?: ExpectedRevision
): unknown {
  if (error instanceof WrongExpectedVersionError) {
    const actual = error.actualVersion
    return new WrongExpectedRevisionError(
      stream ?? error.streamName,
      expected ?? 'any',
      actual === NO_STREAM ? 'no_stream' : BigInt(actual),
      { cause: error })
  }
  if (isUnavailable(error)) {
    return new EventStoreUnavailableError('EventStoreDB is unreachable',
      { cause: error })
  }

  return error
}

function isUnavailable (error: unknown) {
  return error instanceof UnavailableError ||
    (error instanceof Error &&
      (error as { code?: unknown }).code === GRPC_UNAVAILABLE)
}
