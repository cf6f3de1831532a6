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

export async function hashAcceptablePassword (
  password: string,
  owner: PasswordOwner,
  field = 'body.password'
): Promise<string> {
  const problems = findPasswordProblems(password, owner)
  if (!isPasswordAcceptable(problems)) {
    throw invalid('CR_ERR_USER_PASSWORD_WEAK',
      describePasswordProblems(problems), field)
  }

  try {
    return await hashPassword(password)
  } catch (error) {
    if (error instanceof PasswordTooLongError) {
      throw invalid('CR_ERR_USER_PASSWORD_TOO_LONG', error.message, field)
    }
    throw error
  }
}
