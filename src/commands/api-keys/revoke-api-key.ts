/**
 * Revoking a key. The lookup row is marked first, so the key stops working
 * even if the append then fails; a retried revocation appends the event
 * (the decider reads the stream, which is not yet revoked). Revoking a
 * revoked key changes nothing.
 */
import type { CommandContext, CommandServices } from '../command-context.ts'
import { handleCommand } from '../handle-command.ts'
import {
  decideRevokeApiKey,
  evolveApiKey,
  initialApiKeyState
} from './api-key-decider.ts'
import { markApiKeyRevoked } from './api-key-lookup.ts'
import { apiKeyStream } from './events.ts'

export async function revokeApiKey (
  services: CommandServices,
  context: CommandContext,
  revokedBy: string,
  keyId: string
) {
  const revokedAt = services.now().toISOString()
  await markApiKeyRevoked(services.db, keyId, revokedAt)
  const outcome = await handleCommand(services, context, {
    stream: apiKeyStream(keyId),
    initialState: initialApiKeyState,
    evolve: evolveApiKey,
    decide: (state) => decideRevokeApiKey(state, revokedBy, revokedAt)
  })

  return { keyId, position: outcome.position }
}
