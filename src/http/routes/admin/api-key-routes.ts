/**
 * Admins create, list and revoke integration API keys. The key is in the
 * creation answer only (marked no-store); the listing never holds a key or
 * its hash.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'

import { listApiKeys } from '../../../commands/api-keys/api-key-lookup.ts'
import { createApiKey } from '../../../commands/api-keys/create-api-key.ts'
import {
  ApiKeyEnvironmentSchema,
  ApiKeyScopeSchema,
  API_KEY_SCOPES
} from '../../../commands/api-keys/events.ts'
import { revokeApiKey } from '../../../commands/api-keys/revoke-api-key.ts'
import { ADMINS } from '../../auth/roles.ts'
import { contextOf } from '../../request-context.ts'
import {
  errorResponses,
  IdParams,
  NoContent,
  Position,
  Text,
  Uuid
} from '../../schemas/common.ts'

const Nullable = <T extends Type.TSchema>(schema: T) =>
  Type.Union([schema, Type.Null()])

const CreateApiKeyBody = Type.Object({
  name: Text(100),
  environment: ApiKeyEnvironmentSchema,
  scopes: Type.Array(ApiKeyScopeSchema, { minItems: 1,
    maxItems: API_KEY_SCOPES.length, uniqueItems: true }),
  expiresAt: Type.Optional(Nullable(Type.String({ format: 'date-time',
    maxLength: 40 }))),
  customerId: Type.Optional(Nullable(Uuid))
}, { additionalProperties: false })

const ApiKeyFields = {
  keyId: Uuid,
  name: Type.String(),
  environment: Type.String(),
  scopes: Type.Array(Type.String()),
  customerId: Nullable(Uuid),
  createdBy: Type.String(),
  createdAt: Type.String(),
  expiresAt: Nullable(Type.String())
}

const CreatedApiKey = Type.Object({
  apiKey: Type.String(),
  ...ApiKeyFields,
  position: Position
})

const ApiKeyView = Type.Object({
  ...ApiKeyFields,
  revokedAt: Nullable(Type.String()),
  status: Type.Union([Type.Literal('active'), Type.Literal('expired'),
    Type.Literal('revoked')])
})

const ApiKeyList = Type.Object({ items: Type.Array(ApiKeyView) })

export const apiKeyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { services } = app.deps
  const guard = [app.authenticate, app.authorize(ADMINS)]
  const security = [{ bearerAuth: [] }]

  app.post('/api/admin/api-keys', {
    onRequest: guard,
    schema: {
      tags: ['admin'],
      summary: 'Create an integration API key (shown once, in this answer)',
      security,
      body: CreateApiKeyBody,
      response: { 201: CreatedApiKey, ...errorResponses }
    }
  }, async (request, reply) => {
    const created = await createApiKey(services, contextOf(request),
      request.user.userId, request.body)

    return reply.code(201).header('cache-control', 'no-store')
      .send({ ...created, position: created.position.toString() })
  })

  app.get('/api/admin/api-keys', {
    onRequest: guard,
    schema: {
      tags: ['admin'],
      summary: 'Every API key with its scopes and state, never the key',
      security,
      response: { 200: ApiKeyList, ...errorResponses }
    }
  }, async () => {
    const now = services.now()
    const keys = await listApiKeys(services.db)

    return {
      items: keys.map((key) => ({
        ...key,
        scopes: [...key.scopes],
        status: key.revokedAt !== null
          ? 'revoked' as const
          : key.expiresAt !== null && new Date(key.expiresAt) <= now
            ? 'expired' as const
            : 'active' as const
      }))
    }
  })

  app.delete('/api/admin/api-keys/:id', {
    onRequest: guard,
    schema: {
      tags: ['admin'],
      summary: 'Revoke an API key: it stops working at once',
      security,
      params: IdParams,
      response: { 204: NoContent, ...errorResponses }
    }
  }, async (request, reply) => {
    await revokeApiKey(services, contextOf(request), request.user.userId,
      request.params.id)

    return reply.code(204).send(null)
  })
}
