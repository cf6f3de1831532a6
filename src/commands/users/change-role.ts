/**
 * Role changes: by an admin over HTTP or by the operator's CLI, recorded with
 * that actor. Every session of the user is revoked by the caller afterwards,
 * so the new role takes effect at once. An admin cannot change their own
 * role: the last admin demoting themselves would leave nobody to manage
 * users, and an admin who means to step down asks another admin (or the
 * operator's CLI).
 */
import type { CommandContext, CommandServices } from '../command-context.ts'
import { conflict } from '../command-errors.ts'
import { handleCommand } from '../handle-command.ts'
import { userStream, type Role } from './events.ts'
import { decideChangeRole, evolveUser, initialUserState } from './user-decider.ts'

export async function changeRole (
  services: CommandServices,
  context: CommandContext,
  userId: string,
  role: Role
) {
  if (context.actor.kind === 'user' && context.actor.id === userId) {
    throw conflict('CR_ERR_USER_OWN_ROLE', 'you cannot change your own ' +
      'role; another admin or the operator (users set-role) can', 'params.id')
  }
  const outcome = await handleCommand(services, context, {
    stream: userStream(userId),
    initialState: initialUserState,
    evolve: evolveUser,
    decide: (state) => decideChangeRole(state, role)
  })

  return { userId, role: outcome.state.role, position: outcome.position,
    changed: outcome.events.length > 0 }
}
