/**
 * Keyed blind index: HMAC-SHA-256 (RFC 2104) of a normalised value, so a
 * user can be found by email or username without storing either. Without
 * the key the index cannot be brute-forced from a list of known emails.
 * Indexes live only in deletable lookup tables, never in events.
 */
import { createHmac } from 'node:crypto'

const PURPOSE_PATTERN = /^[a-z][a-z0-9_.-]*$/

/**
 * Reduces an email to one spelling per mailbox as people perceive it:
 * trimmed, Unicode NFKC (full-width and compatibility forms folded), then
 * lower-cased, then NFKC again since lower-casing can denormalise.
 *
 * Limitations: toLowerCase is not full Unicode case folding ('ß' and 'ss'
 * stay apart); provider rules (dots and +tags at Gmail) are not applied; an
 * internationalised domain and its punycode (xn--) form index differently;
 * and the local part is treated as case-insensitive, although RFC 5321
 * allows servers to distinguish case (no mainstream one does).
 */
export function normaliseEmail (email: string): string {
  return email.trim().normalize('NFKC').toLowerCase().normalize('NFKC')
}

/**
 * The blind index of a value for one purpose, as 64 hex characters. Each
 * purpose hashes under its own derived key, so the same text indexed as an
 * email and as a username gives unrelated results. Normalise first: the
 * index is exact.
 *
 * @example
 * blindIndex(key, 'email', normaliseEmail(' Emily@Example.com'))
 */
export function blindIndex (
  key: Buffer,
  purpose: string,
  value: string
): string {
  if (!PURPOSE_PATTERN.test(purpose)) {
    throw new RangeError(
      'a blind index purpose is a lower-case word such as "email"'
    )
  }

  return createHmac('sha256', derivePurposeKey(key, purpose))
    .update(value, 'utf8')
    .digest('hex')
}

function derivePurposeKey (key: Buffer, purpose: string) {
  return createHmac('sha256', key)
    .update(`cloudretail/blind-index/${purpose}`, 'utf8')
    .digest()
}
