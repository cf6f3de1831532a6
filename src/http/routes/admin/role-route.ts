/**
 * Only an admin changes roles; the change is an event with the admin as its
 * actor, and the user's existing sessions are revoked so the old role stops
 * working at once.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'

import { changeRole } from '../../../commands/users/change-role.ts'
import { ADMINS } from '../../auth/roles.ts'
import { contextOf } from '../../request-context.ts'
import { errorResponses, IdParams } from '../../schemas/common.ts'
import { RoleBody, RoleReply } from '../../schemas/user-schemas.ts'

export const roleRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.put('/api/admin/users/:id/role', {
    onRequest: [app.authenticate, app.authorize(ADMINS)],
    schema: {
      tags: ['admin'],
      summary: 'Change a user\'s role',
      security: [{ bearerAuth: [] }],
      params: IdParams,
      body: RoleBody,
      response: { 200: RoleReply, ...errorResponses }
    }
  }, async (request) => {
    const result = await changeRole(app.deps.services, contextOf(request),
      request.params.id, request.body.role)
    if (result.changed) {
      await app.deps.sessions.closeAll(result.userId)
    }

    return { userId: result.userId, role: result.role,
      position: result.position.toString() }
  })
}
