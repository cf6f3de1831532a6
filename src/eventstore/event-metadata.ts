/**
 * Audit metadata that every event carries (see DESIGN: event envelope).
 * The client's IP and user agent are personal data: they are stored only as
 * values encrypted under the actor's subject key.
 */
import type { EncryptedValue } from '../crypto/encrypted-value.ts'

export type ActorKind = 'user' | 'api_key' | 'cli' | 'anonymous' | 'system'

export interface Actor {
  readonly kind: ActorKind
  /** User id, API-key id, CLI operator name; absent for anonymous. */
  readonly id?: string
  readonly role?: string
}

export interface EventMetadata {
  readonly eventId: string
  readonly occurredAt: string
  readonly schemaVersion: number
  readonly actor: Actor
  readonly correlationId: string
  readonly causationId: string
  readonly client?: {
    readonly ip?: EncryptedValue
    readonly userAgent?: EncryptedValue
  }
  /** Hash of the previous event in the stream ('' for the first). */
  readonly previousHash: string
  /** Hash of this event: see src/eventstore/hash-chain.ts. */
  readonly hash: string
}
