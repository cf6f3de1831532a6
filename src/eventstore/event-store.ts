/**
 * The event store port. Every adapter (PostgreSQL on pg or PGlite,
 * EventStoreDB) implements this interface and passes the same contract suite
 * in test/eventstore/contract.ts.
 *
 * Revisions count events within one stream from 0. Positions order every
 * event in the store; they only grow, but need not be contiguous.
 */
import type { EventMetadata } from './event-metadata.ts'

/** `no_stream`: the stream must not exist yet; `any`: no check; a bigint: the
 * revision of the stream's last event. */
export type ExpectedRevision = 'no_stream' | 'any' | bigint

export type EventData = Record<string, unknown>

export interface NewEvent {
  readonly type: string
  readonly data: EventData
  readonly metadata: EventMetadata
}

export interface RecordedEvent extends NewEvent {
  readonly id: string
  readonly stream: string
  readonly revision: bigint
  readonly position: bigint
  readonly recordedAt: Date
}

export interface AppendResult {
  /** Revision of the last event appended. */
  readonly revision: bigint
  /** Global position of the last event appended. */
  readonly position: bigint
}

export interface ReadStreamOptions {
  /** Inclusive; default the start (forwards) or the end (backwards). */
  readonly fromRevision?: bigint
  readonly direction?: 'forwards' | 'backwards'
  readonly limit?: number
}

export interface ReadAllFilter {
  readonly streamPrefixes?: readonly string[]
  readonly eventTypes?: readonly string[]
}

export interface ReadAllOptions {
  /** Exclusive: events strictly after this position. Default: the start. */
  readonly afterPosition?: bigint
  readonly limit?: number
  readonly filter?: ReadAllFilter
}

export interface SubscribeAllOptions {
  /** Exclusive, as in readAll. */
  readonly afterPosition?: bigint
  readonly filter?: ReadAllFilter
}

/** Catch-up then live: yields every event after the position, in global
 * order, exactly once, until closed. */
export interface Subscription extends AsyncIterable<RecordedEvent> {
  close(): Promise<void>
}

export interface EventStore {
  readonly name: string
  append(
    stream: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision
  ): Promise<AppendResult>
  /** An empty array when the stream does not exist. */
  readStream(
    stream: string,
    options?: ReadStreamOptions
  ): Promise<RecordedEvent[]>
  /** Global order, gap-free: no event is handed out while one before it
   * might still commit. So it may trail an append that just returned (on
   * PostgreSQL, while an older transaction is open); headPosition tells
   * how far readers see. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>
  subscribeAll(options?: SubscribeAllOptions): Subscription
  /** Position of the newest event a reader may see; 0n when empty. */
  headPosition(): Promise<bigint>
  close(): Promise<void>
}
