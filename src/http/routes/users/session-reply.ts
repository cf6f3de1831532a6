/**
 * The answer to a completed login, by password alone or with a second
 * factor: a signed session token opened in the session store.
 */
import type { FastifyInstance } from 'fastify'

import type { Session } from '../../../commands/users/log-in.ts'
import type { Role } from '../../../commands/users/events.ts'
import { TOKEN_LIFETIME_SECONDS } from '../../plugins/app/authentication.ts'

export async function toSessionReply (app: FastifyInstance, session: Session) {
  const token = await app.issueSessionToken({
    userId: session.userId,
    email: session.email,
    role: session.role as Role
  }, session.tokenId)

  return {
    token,
    tokenType: 'Bearer' as const,
    expiresIn: TOKEN_LIFETIME_SECONDS,
    user: { userId: session.userId, role: session.role }
  }
}
