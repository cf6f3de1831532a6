/**
 * A signed-in user changes their password. The current one is required (a
 * stolen session token alone cannot lock the owner out), a wrong one is a
 * security event that counts towards the account's login alert, and the new
 * one meets the policy. The caller then closes every other session.
 */
import {
  verifyPassword,
  verifyPasswordAgainstDummy
} from '../../crypto/password-hashing.ts'
import { conflict, forbidden } from '../command-errors.ts'
import type { CommandContext, CommandServices } from '../command-context.ts'
import { handleCommand, loadState } from '../handle-command.ts'
import { userStream } from './events.ts'
import { recordWrongPassword } from './login-failures.ts'
import { assertPasswordAcceptable, hashChecked } from './new-password.ts'
import { readProfile } from './read-profile.ts'
import {
  assertActive,
  decideChangePassword,
  evolveUser,
  initialUserState
} from './user-decider.ts'

export interface PasswordChange {
  readonly currentPassword: string
  readonly newPassword: string
}

export async function changePassword (
  services: CommandServices,
  context: CommandContext,
  userId: string,
  change: PasswordChange
) {
  const spec = {
    stream: userStream(userId),
    initialState: initialUserState,
    evolve: evolveUser,
    reveal: true
  }
  const { state } = await loadState(services, spec)
  assertActive(state)

  const field = 'body.newPassword'
  assertPasswordAcceptable(change.newPassword,
    await readProfile(services, userId), field)

  const verifiedHash = state.passwordHash
  const verified = verifiedHash === null
    ? await verifyPasswordAgainstDummy(change.currentPassword)
    : await verifyPassword(change.currentPassword, verifiedHash)
  if (!verified) {
    await recordWrongPassword(services, context, userId,
      'PasswordChangeFailed')
    throw forbidden('CR_ERR_USER_WRONG_PASSWORD',
      'the current password is not correct')
  }
  const newHash = await hashChecked(change.newPassword, field)

  const outcome = await handleCommand(services, context, {
    ...spec,
    decide: (current) => {
      // The check above was against this hash: if another change won the
      // race, this one was not verified against the password now in force.
      if (current.passwordHash !== verifiedHash) {
        throw conflict('CR_ERR_USER_PASSWORD_CHANGED',
          'the password was changed meanwhile; sign in again')
      }

      return decideChangePassword(current, newHash)
    }
  })

  return { userId, position: outcome.position }
}
