/**
 * The signed-in user's own account: read it (right of access) and erase it
 * (right to erasure). Erasure revokes every session of the user at once.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'

import { eraseUser } from '../../../commands/users/erase-user.ts'
import { readProfile } from '../../../commands/users/read-profile.ts'
import { ANY_SIGNED_IN } from '../../auth/roles.ts'
import { contextOf } from '../../request-context.ts'
import { errorResponses, NoContent } from '../../schemas/common.ts'
import { Profile } from '../../schemas/user-schemas.ts'

export const meRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const guard = [app.authenticate, app.authorize(ANY_SIGNED_IN)]

  app.get('/api/users/me', {
    onRequest: guard,
    schema: {
      tags: ['users'],
      summary: 'Your own profile, decrypted from your event stream',
      security: [{ bearerAuth: [] }],
      response: { 200: Profile, ...errorResponses }
    }
  }, async (request) => readProfile(app.deps.services, request.user.userId))

  app.delete('/api/users/me', {
    onRequest: guard,
    schema: {
      tags: ['users'],
      summary: 'Erase your account (GDPR): your personal data is shredded',
      security: [{ bearerAuth: [] }],
      response: { 204: NoContent, ...errorResponses }
    }
  }, async (request, reply) => {
    const { userId } = request.user
    await eraseUser(app.deps.services, contextOf(request), userId)
    await app.deps.sessions.closeAll(userId)

    return reply.code(204).send(null)
  })

  app.post('/api/users/logout', {
    onRequest: guard,
    schema: {
      tags: ['users'],
      summary: 'End this session: its token stops working at once',
      security: [{ bearerAuth: [] }],
      response: { 204: NoContent, ...errorResponses }
    }
  }, async (request, reply) => {
    await app.deps.sessions.close(request.user.userId, request.user.jti)

    return reply.code(204).send(null)
  })
}
