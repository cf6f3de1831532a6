/**
 * The signed-in user corrects their own name or address. There is no route
 * to change anyone else's profile: the user is always the token's.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'

import { updateProfile } from '../../../commands/users/update-profile.ts'
import { recordPrivilegedFields } from '../../auth/privileged-fields.ts'
import { SHOPPERS } from '../../auth/roles.ts'
import { contextOf } from '../../request-context.ts'
import { errorResponses, Position, Text, Uuid } from '../../schemas/common.ts'
import { AddressBody } from '../../schemas/user-schemas.ts'

const UpdateProfileBody = Type.Object({
  firstName: Type.Optional(Text(100)),
  lastName: Type.Optional(Text(100)),
  address: Type.Optional(Type.Union([AddressBody, Type.Null()]))
}, { additionalProperties: false, minProperties: 1 })

const UpdateProfileReply = Type.Object({ userId: Uuid, position: Position })

export const profileRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.patch('/api/users/me', {
    // A profile is a shopper's: the auditor role reads audit history and
    // changes nothing, its own profile included.
    onRequest: [app.authenticate, app.authorize(SHOPPERS)],
    preValidation: recordPrivilegedFields(app),
    schema: {
      tags: ['users'],
      summary: 'Change your own name or address',
      security: [{ bearerAuth: [] }],
      body: UpdateProfileBody,
      response: { 200: UpdateProfileReply, ...errorResponses }
    }
  }, async (request) => {
    const result = await updateProfile(app.deps.services, contextOf(request),
      request.user.userId, request.body)

    return { userId: result.userId, position: result.position.toString() }
  })
}
