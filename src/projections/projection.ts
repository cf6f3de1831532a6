/**
 * What a projection is: a named, versioned fold of the global event log into
 * read-model tables. The runner owns ordering, batching, checkpoints and
 * transactions; a projection only says how one event changes its rows.
 */
import type { Kysely } from 'kysely'

import type { RecordedEvent } from '../eventstore/event-store.ts'
import type { Database } from '../storage/schema.ts'

export interface Projection {
  /** Stable identity: the checkpoint row and the advisory lock use it. */
  readonly name: string
  /** Bumped when apply changes meaning; a bump calls for a rebuild. */
  readonly version: number
  /** Event types apply understands; every other event is skipped. */
  readonly handles: readonly string[]
  /** Every table apply writes, so a rebuild knows what to build beside. */
  readonly tables: readonly (keyof Database & string)[]
  /**
   * Applies one event inside the runner's transaction. It must be
   * idempotent (upserts, absolute values) and must use only `trx`: during a
   * rebuild, `trx` points at the tables being built.
   */
  apply(trx: Kysely<Database>, event: RecordedEvent): Promise<void>
}

/** Turns an event as stored into one whose personal fields are readable
 * (or null where the subject's key has been shredded). */
export type Reveal = (event: RecordedEvent) => Promise<RecordedEvent>

/** For tests and stores without personal data. */
export const revealNothing: Reveal = async (event) => event
