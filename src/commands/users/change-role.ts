/**
 * Role changes: by an admin over HTTP or by the operator's CLI, recorded with
 * that actor. Every session of the user is revoked by the caller afterwards,
 * so the new role takes effect at once.
 */
import type { CommandContext, CommandServices } from '../command-context.ts'
import { handleCommand } from '../handle-command.ts'
import { userStream, type Role } from './events.ts'
import { decideChangeRole, evolveUser, initialUserState } from './user-decider.ts'

export async function changeRole (
  services: CommandServices,
  context: CommandContext,
  userId: string,
  role: Role
) {
  const outcome = await handleCommand(services, context, {
    stream: userStream(userId),
    initialState: initialUserState,
    evolve: evolveUser,
    decide: (state) => decideChangeRole(state, role)
  })

  return { userId, role: outcome.state.role, position: outcome.position,
    changed: outcome.events.length > 0 }
}
