/**
 * Checks one stream's hash chain, for auditors: revisions run 0, 1, 2, …;
 * each event names its predecessor's hash; each hash matches the content
 * stored. Needs no keys (see hash-chain.ts).
 */
import type { EventStore, RecordedEvent } from './event-store.ts'
import { computeEventHash } from './event-hash.ts'

export interface StreamVerification {
  readonly ok: boolean
  /** Events found sound, in order, before any break. */
  readonly events: number
  /** Revision of the first event that breaks the chain. */
  readonly brokenAt?: bigint
  readonly reason?: string
}

const PAGE_SIZE = 500

export async function verifyStream (
  store: EventStore,
  stream: string
): Promise<StreamVerification> {
  let previousHash = ''
  let next = 0n
  for (;;) {
    const page = await store.readStream(stream, {
      fromRevision: next,
      limit: PAGE_SIZE
    })
    for (const event of page) {
      const reason = findBreak(stream, event, next, previousHash)
      if (reason !== undefined) {
        const events = Number(next)
        return { ok: false, events, brokenAt: event.revision, reason }
      }
      previousHash = event.metadata.hash
      next += 1n
    }
    if (page.length < PAGE_SIZE) return { ok: true, events: Number(next) }
  }
}

function findBreak (
  stream: string,
  event: RecordedEvent,
  expectedRevision: bigint,
  previousHash: string
) {
  if (event.revision !== expectedRevision) {
    return `revision ${event.revision} found where ${expectedRevision} belongs`
  }
  if (event.metadata.previousHash !== previousHash) {
    return 'previousHash does not match the hash of the event before'
  }
  if (computeEventHash({ ...event, stream }) !== event.metadata.hash) {
    return 'hash does not match the stored content'
  }

  return undefined
}
