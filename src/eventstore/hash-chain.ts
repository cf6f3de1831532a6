/**
 * The per-stream hash chain auditors verify (DESIGN: event envelope). Each
 * event's metadata holds the hash of the stream's previous event ('' for the
 * first) and its own hash (event-hash.ts). The hash covers the stored form,
 * encrypted fields included, so verifying needs no keys and still holds
 * after crypto-shredding. Only the EventStore port is used: the chain works
 * the same over every adapter.
 */
export { computeEventHash, type HashedEvent } from './event-hash.ts'
export {
  appendChained,
  sealEvents,
  MAX_CHAINED_APPEND_ATTEMPTS,
  type StreamTip,
  type UnsealedEvent
} from './chained-append.ts'
export { verifyStream, type StreamVerification } from './verify-stream.ts'
