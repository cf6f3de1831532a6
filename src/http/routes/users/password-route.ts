/**
 * Changing one's password: the current password is required, the new one
 * meets the policy, and every other session of the user ends at once (the
 * one making the change keeps working).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'

import { changePassword } from '../../../commands/users/change-password.ts'
import { ANY_SIGNED_IN } from '../../auth/roles.ts'
import { contextOf } from '../../request-context.ts'
import { errorResponses, NoContent } from '../../schemas/common.ts'
import { Password } from '../../schemas/user-schemas.ts'

export const ChangePasswordBody = Type.Object({
  currentPassword: Password,
  newPassword: Password
}, { additionalProperties: false })

export const passwordRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/api/users/me/password', {
    onRequest: [app.authenticate, app.authorize(ANY_SIGNED_IN)],
    schema: {
      tags: ['users'],
      summary: 'Change your password; your other sessions end',
      security: [{ bearerAuth: [] }],
      body: ChangePasswordBody,
      response: { 204: NoContent, ...errorResponses }
    }
  }, async (request, reply) => {
    const { userId, jti } = request.user
    await changePassword(app.deps.services, contextOf(request), userId,
      request.body)
    await app.deps.sessions.closeAllExcept(userId, jti)

    return reply.code(204).send(null)
  })
}
