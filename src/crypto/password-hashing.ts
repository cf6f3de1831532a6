/**
 * Password hashing with bcrypt (Provos and Mazières, "A Future-Adaptable
 * Password Scheme", USENIX 1999), cost 12, through the library's async API:
 * the work runs on libuv's thread pool, never on the event loop.
 */
import bcrypt from 'bcrypt'

/** 2^12 rounds: about a quarter of a second per hash on a current core. */
export const BCRYPT_COST = 12

/** bcrypt reads at most 72 bytes and silently ignores the rest. */
export const BCRYPT_MAX_PASSWORD_BYTES = 72

/**
 * A cost-12 hash of 32 random bytes nobody kept: comparing against it costs
 * what a real check costs, so an unknown account answers no faster than a
 * wrong password. test/crypto/password-hashing.test.ts keeps its cost equal
 * to BCRYPT_COST.
 */
export const DUMMY_PASSWORD_HASH =
  '$2b$12$vrXYvVsE8SLTpDvXGRRv8.ZZG80o7SukOCtwkYgEMFTqD9BeG8mpO'

export class PasswordTooLongError extends Error {
  override readonly name = 'PasswordTooLongError'
  readonly code = 'CR_ERR_CRYPTO_PASSWORD_TOO_LONG'
}

/** Hashes a new password; refuses one bcrypt would truncate, since two
 * passwords sharing their first 72 bytes would otherwise both match. */
export async function hashPassword (password: string): Promise<string> {
  if (isTooLong(password)) {
    throw new PasswordTooLongError(
      `a password may hold at most ${BCRYPT_MAX_PASSWORD_BYTES} bytes ` +
      'in UTF-8'
    )
  }

  return await bcrypt.hash(password, BCRYPT_COST)
}

/** True when the password matches. An over-long password never matches
 * (none could have been hashed) but still costs one full compare. */
export async function verifyPassword (
  password: string,
  hash: string
): Promise<boolean> {
  if (isTooLong(password)) {
    return await verifyPasswordAgainstDummy(password)
  }

  return await bcrypt.compare(password, hash)
}

/** Spends the time of one real compare and answers false: for logins by an
 * unknown or erased account. */
export async function verifyPasswordAgainstDummy (
  password: string
): Promise<false> {
  await bcrypt.compare(password, DUMMY_PASSWORD_HASH)

  return false
}

function isTooLong (password: string) {
  return Buffer.byteLength(password, 'utf8') > BCRYPT_MAX_PASSWORD_BYTES
}
