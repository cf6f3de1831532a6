/**
 * Appends that extend the stream's hash chain (see hash-chain.ts): each new
 * event is sealed with its revision, the hash of the event before it and its
 * own hash. The revision must be known exactly before sealing, since the
 * hash covers it.
 */
import { computeEventHash } from './event-hash.ts'
import {
  isWrongExpectedRevision,
  WrongExpectedRevisionError,
  type ActualRevision
} from './errors.ts'
import type { EventMetadata } from './event-metadata.ts'
import type {
  AppendResult,
  EventData,
  EventStore,
  ExpectedRevision,
  NewEvent
} from './event-store.ts'

/** An event before the chain is extended over it. */
export interface UnsealedEvent {
  readonly type: string
  readonly data: EventData
  readonly metadata: Omit<EventMetadata, 'previousHash' | 'hash'>
}

/** Appends under 'any' retry this often when another writer gets in first. */
export const MAX_CHAINED_APPEND_ATTEMPTS = 5

export interface StreamTip {
  readonly revision: ActualRevision
  readonly hash: string
}

const EMPTY_STREAM: StreamTip = { revision: 'no_stream', hash: '' }

/**
 * Extends the stream's chain over `events` and appends them. Pass
 * `previousHash` when the stream's last event was just read (with an exact
 * `expected`) to save a read. Under 'any' the append is made at the exact
 * revision read, retried up to MAX_CHAINED_APPEND_ATTEMPTS times.
 *
 * @example
 * await appendChained(store, 'order-42', [placed], 'no_stream')
 */
export async function appendChained (
  store: EventStore,
  stream: string,
  events: readonly UnsealedEvent[],
  expected: ExpectedRevision,
  previousHash?: string
): Promise<AppendResult> {
  if (expected === 'no_stream') {
    return store.append(stream, sealEvents(stream, EMPTY_STREAM, events),
      expected)
  }
  if (expected !== 'any') {
    const tip = previousHash === undefined
      ? await readExpectedTip(store, stream, expected)
      : { revision: expected, hash: previousHash }

    return store.append(stream, sealEvents(stream, tip, events), expected)
  }

  return appendAtAnyRevision(store, stream, events)
}

/** Seals events to follow `tip`, revisions and hashes included. */
export function sealEvents (
  stream: string,
  tip: StreamTip,
  events: readonly UnsealedEvent[]
): NewEvent[] {
  let revision = tip.revision === 'no_stream' ? 0n : tip.revision + 1n
  let previousHash = tip.hash

  return events.map((event) => {
    const metadata = { ...event.metadata, previousHash }
    const hash = computeEventHash({ ...event, stream, revision, metadata })
    revision += 1n
    previousHash = hash

    return {
      type: event.type,
      data: event.data,
      metadata: { ...metadata, hash }
    }
  })
}

async function appendAtAnyRevision (
  store: EventStore,
  stream: string,
  events: readonly UnsealedEvent[]
): Promise<AppendResult> {
  for (let attempt = 1; ; attempt += 1) {
    const tip = await readTip(store, stream)
    try {
      return await store.append(stream, sealEvents(stream, tip, events),
        tip.revision)
    } catch (error) {
      if (!isWrongExpectedRevision(error)) throw error
      if (attempt >= MAX_CHAINED_APPEND_ATTEMPTS) throw error
    }
  }
}

async function readExpectedTip (
  store: EventStore,
  stream: string,
  expected: bigint
) {
  const tip = await readTip(store, stream)
  if (tip.revision !== expected) {
    throw new WrongExpectedRevisionError(stream, expected, tip.revision)
  }

  return tip
}

async function readTip (store: EventStore, stream: string): Promise<StreamTip> {
  const [last] = await store.readStream(stream, {
    direction: 'backwards',
    limit: 1
  })

  return last === undefined
    ? EMPTY_STREAM
    : { revision: last.revision, hash: last.metadata.hash ?? '' }
}
