/**
 * The hash of one event in its stream's chain: SHA-256, in hex, over the
 * canonical JSON of its stream, revision, type, data and metadata (less the
 * hash itself), plus the previous event's hash.
 */
import { createHash } from 'node:crypto'

import { toCanonicalJson } from './canonical-json.ts'
import type { EventMetadata } from './event-metadata.ts'
import type { EventData } from './event-store.ts'

export interface HashedEvent {
  readonly stream: string
  readonly revision: bigint
  readonly type: string
  readonly data: EventData
  readonly metadata: Omit<EventMetadata, 'hash'> & { readonly hash?: string }
}

export function computeEventHash (event: HashedEvent): string {
  const metadata: Record<string, unknown> = { ...event.metadata }
  delete metadata.hash
  const content = toCanonicalJson({
    stream: event.stream,
    revision: String(event.revision),
    type: event.type,
    data: event.data,
    metadata,
    previousHash: event.metadata.previousHash
  })

  return createHash('sha256').update(content).digest('hex')
}
