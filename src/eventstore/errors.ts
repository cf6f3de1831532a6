/**
 * The event store's coded errors, shared by every adapter so callers (command
 * handlers, the HTTP layer) never see an engine's own error types.
 */
import type { ExpectedRevision } from './event-store.ts'

/** What a stream holds when an append is checked: its last revision, or
 * `no_stream` when it has no events. */
export type ActualRevision = 'no_stream' | bigint

/** An optimistic concurrency conflict: nothing was written. The HTTP layer
 * answers it with 409 after any retry the command allows. */
export class WrongExpectedRevisionError extends Error {
  readonly code = 'CR_ERR_EVENTSTORE_WRONG_REVISION'
  readonly stream: string
  readonly expected: ExpectedRevision
  readonly actual: ActualRevision

  constructor (
    stream: string,
    expected: ExpectedRevision,
    actual: ActualRevision,
    options?: ErrorOptions
  ) {
    super(
      `stream ${stream} expected at ${String(expected)}, ` +
        `but is at ${String(actual)}`,
      options
    )
    this.name = 'WrongExpectedRevisionError'
    this.stream = stream
    this.expected = expected
    this.actual = actual
  }
}

/** A configured event store that cannot be reached: start-up fails. */
export class EventStoreUnavailableError extends Error {
  readonly code = 'CR_ERR_EVENTSTORE_UNAVAILABLE'

  constructor (message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'EventStoreUnavailableError'
  }
}

/** An append of no events, or of events the store cannot hold. */
export class InvalidAppendError extends Error {
  readonly code = 'CR_ERR_EVENTSTORE_INVALID_APPEND'

  constructor (message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'InvalidAppendError'
  }
}

export function isWrongExpectedRevision (
  error: unknown
): error is WrongExpectedRevisionError {
  return error instanceof WrongExpectedRevisionError
}

/** Throws unless a stream at `actual` satisfies `expected`. */
export function assertExpectedRevision (
  stream: string,
  expected: ExpectedRevision,
  actual: ActualRevision
) {
  const satisfied = expected === 'any' ||
    (expected === 'no_stream' ? actual === 'no_stream' : actual === expected)
  if (!satisfied) {
    throw new WrongExpectedRevisionError(stream, expected, actual)
  }
}
