/**
 * TOTP two-factor login (RFC 6238): setup and confirmation, backup codes,
 * disabling, and the second login step. Secrets and backup codes are
 * answered with `Cache-Control: no-store`: they are shown once and must
 * not linger in any cache.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply } from 'fastify'

import { invalid } from '../../../commands/command-errors.ts'
import {
  logInWithSecondFactor
} from '../../../commands/users/two-factor/log-in-second-factor.ts'
import {
  disableTwoFactor,
  regenerateBackupCodes,
  type TypedProof
} from '../../../commands/users/two-factor/manage-two-factor.ts'
import {
  confirmTwoFactorSetup,
  startTwoFactorSetup
} from '../../../commands/users/two-factor/set-up-two-factor.ts'
import { ANY_SIGNED_IN } from '../../auth/roles.ts'
import { contextOf } from '../../request-context.ts'
import { errorResponses, NoContent } from '../../schemas/common.ts'
import {
  BackupCodesReply,
  CodeBody,
  ProofBody,
  SecondFactorLoginBody,
  SetupReply
} from '../../schemas/two-factor-schemas.ts'
import { LoginReply } from '../../schemas/user-schemas.ts'
import { toSessionReply } from './session-reply.ts'

const secured = { tags: ['two-factor'], security: [{ bearerAuth: [] }] }

export const twoFactorRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const guard = [app.authenticate, app.authorize(ANY_SIGNED_IN)]

  app.post('/api/users/me/2fa/setup', {
    onRequest: guard,
    schema: { ...secured,
      summary: 'Start two-factor setup: a new secret and its otpauth URI',
      response: { 200: SetupReply, ...errorResponses } }
  }, async (request, reply) => {
    noStore(reply)

    return await startTwoFactorSetup(app.deps.services, contextOf(request),
      request.user.userId)
  })

  app.post('/api/users/me/2fa/confirm', {
    onRequest: guard,
    schema: { ...secured,
      summary: 'Turn two-factor login on with a code from the new secret; ' +
        'answers the ten backup codes, this once',
      body: CodeBody,
      response: { 200: BackupCodesReply, ...errorResponses } }
  }, async (request, reply) => {
    noStore(reply)

    return await confirmTwoFactorSetup(app.deps.services, contextOf(request),
      request.user.userId, request.body.code)
  })

  app.post('/api/users/me/2fa/backup-codes', {
    onRequest: guard,
    schema: { ...secured,
      summary: 'Replace all backup codes (needs a current code)',
      body: CodeBody,
      response: { 200: BackupCodesReply, ...errorResponses } }
  }, async (request, reply) => {
    noStore(reply)

    return await regenerateBackupCodes(app.deps.services, contextOf(request),
      request.user.userId, request.body.code)
  })

  app.post('/api/users/me/2fa/disable', {
    onRequest: guard,
    schema: { ...secured,
      summary: 'Turn two-factor login off (needs a current code or an ' +
        'unused backup code)',
      body: ProofBody,
      response: { 204: NoContent, ...errorResponses } }
  }, async (request, reply) => {
    await disableTwoFactor(app.deps.services, contextOf(request),
      request.user.userId, toTypedProof(request.body))

    return reply.code(204).send(null)
  })

  app.post('/api/users/login/2fa', {
    schema: { tags: ['two-factor'],
      summary: 'Finish a login with the challenge and a code (or a backup ' +
        'code): a 24-hour session token',
      body: SecondFactorLoginBody,
      response: { 200: LoginReply, ...errorResponses } }
  }, async (request) => {
    const session = await logInWithSecondFactor(app.deps.services,
      contextOf(request),
      { challenge: request.body.challenge, ...toTypedProof(request.body) })

    return await toSessionReply(app, session)
  })
}

function toTypedProof (body: { code?: string, backupCode?: string }): TypedProof {
  if (body.code !== undefined && body.backupCode === undefined) {
    return { code: body.code }
  }
  if (body.backupCode !== undefined && body.code === undefined) {
    return { backupCode: body.backupCode }
  }

  throw invalid('CR_ERR_2FA_PROOF_REQUIRED',
    'send either a code or a backup code', 'body.code')
}

function noStore (reply: FastifyReply) {
  reply.header('cache-control', 'no-store')
}
