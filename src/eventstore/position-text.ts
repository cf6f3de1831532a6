/**
 * Positions cross the HTTP boundary as decimal text, since a JSON number
 * loses digits past 2^53. Stored positions (and the read models' `seq`) are
 * PostgreSQL int8, so text past 2^63−1 is refused here; reaching a query,
 * it would fail there as an out-of-range error, a 500.
 */
export const MAX_POSITION = 2n ** 63n - 1n

const DECIMAL_DIGITS = /^[0-9]{1,19}$/

/** True for decimal text from 0 to MAX_POSITION. */
export function isPositionText (text: string): boolean {
  return DECIMAL_DIGITS.test(text) && BigInt(text) <= MAX_POSITION
}
