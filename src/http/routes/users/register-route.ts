import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'

import { registerUser } from '../../../commands/users/register-user.ts'
import { contextOf } from '../../request-context.ts'
import { errorResponses } from '../../schemas/common.ts'
import { RegisterBody, RegisterReply } from '../../schemas/user-schemas.ts'

export const registerRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/api/users/register', {
    schema: {
      tags: ['users'],
      summary: 'Register a customer account (GDPR consent required)',
      body: RegisterBody,
      response: { 201: RegisterReply, ...errorResponses }
    }
  }, async (request, reply) => {
    const result = await registerUser(app.deps.services, contextOf(request),
      request.body)

    return reply.code(201).send({ ...result,
      position: result.position.toString() })
  })
}
