/**
 * Conversions between event values and read-model columns, shared by the
 * read models.
 */
import { isEncryptedValue, isErased } from '../crypto/encrypted-value.ts'

/**
 * A revealed personal field as a column value. Anything still sealed
 * (ciphertext) or marked erased becomes null: a read model keeps either
 * plaintext of a living subject or nothing.
 */
export function toPersonal<Value> (
  value: Value | null | undefined
): Value | null {
  if (value === undefined || value === null) return null
  if (isErased(value) || isEncryptedValue(value)) return null

  return value
}

/** jsonb columns take JSON text, which both pg and PGlite pass through. */
export function toJsonb (value: unknown): string {
  return JSON.stringify(value)
}

/** Timestamps read back as Date on pg and PGlite; strings are tolerated. */
export function toIso (value: Date | string): string {
  return new Date(value).toISOString()
}

export function toIsoOrNull (value: Date | string | null): string | null {
  return value === null ? null : toIso(value)
}

/** When the event happened, from its metadata. */
export function occurredAt (event: { metadata: { occurredAt: string } }) {
  return event.metadata.occurredAt
}
