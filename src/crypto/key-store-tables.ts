/**
 * Tables of the subject key store (envelope encryption for crypto-shredding).
 * bytea reads back as Buffer on pg and Uint8Array on PGlite.
 */
import type { ColumnType } from 'kysely'

type CreatedAt = ColumnType<Date, Date | string | undefined, never>

export interface SubjectKeysTable {
  subject_id: string
  /** The subject's data key, AES-256-GCM under the KEK with the subject id as
   * AAD: IV ‖ tag ‖ ciphertext. */
  wrapped_key: ColumnType<Uint8Array, Uint8Array, Uint8Array>
  /** Fingerprint of the KEK that wrapped it: rotation finds stragglers. */
  kek_id: string
  created_at: CreatedAt
}

/** A tombstone: says a subject was erased and when, and nothing else. */
export interface ErasedSubjectsTable {
  subject_id: string
  erased_at: CreatedAt
}

export interface KeyStoreTables {
  subject_keys: SubjectKeysTable
  erased_subjects: ErasedSubjectsTable
}
