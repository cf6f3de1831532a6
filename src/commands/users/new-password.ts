/**
 * A password someone is about to adopt (registration, admin bootstrap,
 * password change): checked against the policy, then hashed. Either refusal
 * is a 400 naming the field, and neither message repeats the password.
 */
import {
  describePasswordProblems,
  findPasswordProblems,
  isPasswordAcceptable,
  type PasswordOwner
} from '../../crypto/password-policy.ts'
import {
  hashPassword,
  PasswordTooLongError
} from '../../crypto/password-hashing.ts'
import { invalid } from '../command-errors.ts'

/** Throws a 400 naming `field` with every rule the password breaks. */
export function assertPasswordAcceptable (
  password: string,
  owner: PasswordOwner,
  field = 'body.password'
) {
  const problems = findPasswordProblems(password, owner)
  if (!isPasswordAcceptable(problems)) {
    throw invalid('CR_ERR_USER_PASSWORD_WEAK',
      describePasswordProblems(problems), field)
  }
}

export async function hashAcceptablePassword (
  password: string,
  owner: PasswordOwner,
  field = 'body.password'
): Promise<string> {
  assertPasswordAcceptable(password, owner, field)

  return await hashChecked(password, field)
}

/** Hashes a password the policy already accepted. */
export async function hashChecked (password: string, field: string) {
  try {
    return await hashPassword(password)
  } catch (error) {
    if (error instanceof PasswordTooLongError) {
      throw invalid('CR_ERR_USER_PASSWORD_TOO_LONG', error.message, field)
    }
    throw error
  }
}
