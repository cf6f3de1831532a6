/**
 * The token a password login hands back when a second factor is due:
 * `<user id>.<256 random bits>`. It is no JWT, so the bearer guard can
 * never mistake it for a session; the user stream keeps only its SHA-256,
 * with an expiry, and the next login (or a newer challenge) spends it.
 */
import { createHash } from 'node:crypto'

import { randomToken } from '../../../crypto/random-token.ts'
import type { CommandContext, CommandServices } from '../../command-context.ts'
import { handleCommand } from '../../handle-command.ts'
import { userStream } from '../events.ts'
import { evolveUser, initialUserState } from '../user-decider.ts'
import { decideIssueChallenge } from './two-factor-decider.ts'

export const CHALLENGE_LIFETIME_SECONDS = 5 * 60
export const CHALLENGE_PATTERN =
  '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}' +
  '\\.[A-Za-z0-9_-]{43}$'

export interface LoginChallenge {
  readonly userId: string
  readonly challenge: string
  readonly expiresIn: number
}

export async function issueLoginChallenge (
  services: CommandServices,
  context: CommandContext,
  userId: string
): Promise<LoginChallenge> {
  const secret = randomToken()
  const expiresAt = new Date(services.now().getTime() +
    CHALLENGE_LIFETIME_SECONDS * 1000)
  await handleCommand(services, context, {
    stream: userStream(userId),
    initialState: initialUserState,
    evolve: evolveUser,
    decide: (state) => decideIssueChallenge(state, hashChallengeSecret(secret),
      expiresAt.toISOString())
  })

  return { userId, challenge: `${userId}.${secret}`,
    expiresIn: CHALLENGE_LIFETIME_SECONDS }
}

/** The user a challenge names and the hash to look for; undefined when it
 * is not shaped like one. */
export function parseChallenge (challenge: string) {
  if (!new RegExp(CHALLENGE_PATTERN).test(challenge)) return undefined

  const [userId, secret] = challenge.split('.') as [string, string]
  return { userId, hash: hashChallengeSecret(secret) }
}

function hashChallengeSecret (secret: string) {
  return createHash('sha256').update(secret, 'utf8').digest('hex')
}
