/**
 * GDPR erasure by crypto-shredding: record that the user was erased (the
 * event holds no personal data), drop the lookup rows, and delete the
 * user's key. The events stay intact and verifiable; the personal fields in
 * them can never be decrypted again, and projectors anonymise read models.
 * Orders stay (seven-year retention), pseudonymised.
 */
import type { CommandContext, CommandServices } from '../command-context.ts'
import { handleCommand } from '../handle-command.ts'
import { userStream } from './events.ts'
import { releaseLookups } from './user-lookup.ts'
import { decideErase, evolveUser, initialUserState } from './user-decider.ts'

export async function eraseUser (
  services: CommandServices,
  context: CommandContext,
  userId: string
) {
  const outcome = await handleCommand(services, context, {
    stream: userStream(userId),
    initialState: initialUserState,
    evolve: evolveUser,
    decide: (state) => decideErase(state, services.now().toISOString())
  })
  // After the event: if this process dies in between, the erasure is on
  // record and `cloudretail keys finish-erasures` finishes it.
  await releaseLookups(services.db, userId)
  await services.keys.shred(userId)

  return { userId, position: outcome.position }
}
