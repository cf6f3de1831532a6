/**
 * A user changes their own name or address (GDPR's right to rectification).
 * The new values are personal data, encrypted under the user's key like the
 * registration's, so erasure shreds them too.
 */
import { invalid } from '../command-errors.ts'
import type { CommandContext, CommandServices } from '../command-context.ts'
import { handleCommand } from '../handle-command.ts'
import {
  userStream,
  type Address,
  type UserEvent,
  type UserProfileUpdated
} from './events.ts'
import {
  assertActive,
  evolveUser,
  initialUserState,
  type UserState
} from './user-decider.ts'

export interface ProfileChanges {
  readonly firstName?: string
  readonly lastName?: string
  readonly address?: Address | null
}

export function decideUpdateProfile (
  state: UserState,
  changes: ProfileChanges
): UserEvent[] {
  assertActive(state)
  const data: UserProfileUpdated = {
    userId: state.userId,
    ...(changes.firstName === undefined ? {} : { firstName: changes.firstName }),
    ...(changes.lastName === undefined ? {} : { lastName: changes.lastName }),
    ...(changes.address === undefined ? {} : { address: changes.address })
  }
  if (Object.keys(data).length === 1) {
    throw invalid('CR_ERR_USER_NO_CHANGES', 'name at least one field to change')
  }

  return [{ type: 'UserProfileUpdated', data }]
}

export async function updateProfile (
  services: CommandServices,
  context: CommandContext,
  userId: string,
  changes: ProfileChanges
) {
  const outcome = await handleCommand(services, context, {
    stream: userStream(userId),
    initialState: initialUserState,
    evolve: evolveUser,
    decide: (state) => decideUpdateProfile(state, changes)
  })

  return { userId, position: outcome.position }
}
