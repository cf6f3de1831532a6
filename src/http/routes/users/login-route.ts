import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'

import { logIn } from '../../../commands/users/log-in.ts'
import type { Role } from '../../../commands/users/events.ts'
import { TOKEN_LIFETIME_SECONDS } from '../../plugins/app/authentication.ts'
import { contextOf } from '../../request-context.ts'
import { errorResponses } from '../../schemas/common.ts'
import { LoginBody, LoginReply } from '../../schemas/user-schemas.ts'

export const loginRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/api/users/login', {
    schema: {
      tags: ['users'],
      summary: 'Exchange email and password for a 24-hour session token',
      body: LoginBody,
      response: { 200: LoginReply, ...errorResponses }
    }
  }, async (request) => {
    const session = await logIn(app.deps.services, contextOf(request),
      request.body)
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
  })
}
