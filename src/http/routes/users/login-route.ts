import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'

import { logIn } from '../../../commands/users/log-in.ts'
import { contextOf } from '../../request-context.ts'
import { errorResponses } from '../../schemas/common.ts'
import { ChallengeReply } from '../../schemas/two-factor-schemas.ts'
import { LoginBody, LoginReply } from '../../schemas/user-schemas.ts'
import { toSessionReply } from './session-reply.ts'

export const loginRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/api/users/login', {
    schema: {
      tags: ['users'],
      summary: 'Exchange email and password for a 24-hour session token ' +
        '(or, with two-factor login on, for a challenge: see /login/2fa)',
      body: LoginBody,
      response: { 200: Type.Union([LoginReply, ChallengeReply]),
        ...errorResponses }
    }
  }, async (request) => {
    const result = await logIn(app.deps.services, contextOf(request),
      request.body)
    if ('challenge' in result) {
      return { twoFactorRequired: true as const, challenge: result.challenge,
        challengeExpiresIn: result.expiresIn,
        user: { userId: result.userId } }
    }

    return await toSessionReply(app, result)
  })
}
