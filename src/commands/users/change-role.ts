/**
 * Role changes: by an admin over HTTP or by the operator's CLI, recorded with
 * that actor. Every session of the user is revoked by the caller afterwards,
 * so the new role takes effect at once.
 *
 * Two rules keep at least one admin. An admin cannot change their own role:
 * the last admin demoting themselves would leave nobody to manage users
 * (one who means to step down asks another admin, or the operator's CLI).
 * And an admin's authority is read from their own stream when the change is
 * decided, not from the token that started the request, with role changes
 * in this process taking turns: of two admins demoting each other at once,
 * the second finds they are no longer an admin.
 */
import type { CommandContext, CommandServices } from '../command-context.ts'
import { conflict, forbidden } from '../command-errors.ts'
import { handleCommand, loadState } from '../handle-command.ts'
import { withStreamLock } from '../stream-lock.ts'
import { userStream, type Role } from './events.ts'
import { decideChangeRole, evolveUser, initialUserState } from './user-decider.ts'

/** Not a stream: the name role changes take turns under. */
const ROLE_CHANGES = 'role-changes'

export async function changeRole (
  services: CommandServices,
  context: CommandContext,
  userId: string,
  role: Role
) {
  const { actor } = context
  if (actor.kind === 'user' && actor.id === userId) {
    throw conflict('CR_ERR_USER_OWN_ROLE', 'you cannot change your own ' +
      'role; another admin or the operator (users set-role) can', 'params.id')
  }

  return await withStreamLock(ROLE_CHANGES, async () => {
    if (actor.kind === 'user') await assertStillAdmin(services, actor.id ?? '')
    const outcome = await handleCommand(services, context, {
      ...userState(userId),
      decide: (state) => decideChangeRole(state, role)
    })

    return { userId, role: outcome.state.role, position: outcome.position,
      changed: outcome.events.length > 0 }
  })
}

async function assertStillAdmin (services: CommandServices, adminId: string) {
  const { state } = await loadState(services, userState(adminId))
  if (state.erased || state.role !== 'admin') {
    throw forbidden('CR_ERR_AUTH_FORBIDDEN',
      'your account is no longer an admin')
  }
}

function userState (userId: string) {
  return { stream: userStream(userId), initialState: initialUserState,
    evolve: evolveUser }
}
