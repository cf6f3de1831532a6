import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'

import { registerUser } from '../../../commands/users/register-user.ts'
import { recordPrivilegedFields } from '../../auth/privileged-fields.ts'
import { contextOf } from '../../request-context.ts'
import { errorResponses } from '../../schemas/common.ts'
import { RegisterBody, RegisterReply } from '../../schemas/user-schemas.ts'

export const registerRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/api/users/register', {
    // The blind index folds full-width and compatibility forms (NFKC), so
    // 'ｅ@example.com' is the mailbox 'e@example.com': fold it before the
    // email format check, which knows only ASCII, so a taken address is a
    // 409 in every spelling and the stored address is the deliverable one.
    preValidation: [
      async (request) => { foldEmail(request.body as unknown) },
      recordPrivilegedFields(app)
    ],
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

function foldEmail (body: unknown) {
  if (typeof body !== 'object' || body === null) return

  const fields = body as { email?: unknown }
  if (typeof fields.email === 'string') {
    fields.email = fields.email.normalize('NFKC')
  }
}
