/**
 * Integration requests: `/api/webhooks/*` routes take an API key in
 * X-API-Key and nothing else. `app.authenticateApiKey` refuses a missing,
 * malformed, unknown, revoked or expired key (and any bearer token sent
 * there) with one identical 401, so the answer tells nothing about which
 * keys exist; then it counts the request against the key's hourly budget
 * (429 past it). `app.requireScope(scope)` refuses a key without the route's
 * scope with 403. Every refusal is a security event; the reason is recorded
 * there, never sent.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'

import {
  findApiKeyByHash,
  type ApiKeyRecord
} from '../../commands/api-keys/api-key-lookup.ts'
import type { ApiKeyScope } from '../../commands/api-keys/events.ts'
import { forbidden, unauthenticated } from '../../commands/command-errors.ts'
import {
  recordSecurityEvent,
  securityDayStream,
  type SecurityEvent
} from '../../commands/security/security-events.ts'
import {
  hashApiKey,
  isWellFormedApiKey
} from '../../crypto/api-key-hashing.ts'
import { contextOf } from '../request-context.ts'
import {
  createMemoryApiKeyRateLimiter,
  type ApiKeyRateLimiter
} from './api-key-rate-limit.ts'

export const API_KEY_HEADER = 'x-api-key'

/** The key a request was authenticated with. */
export type ApiKeyPrincipal = Pick<ApiKeyRecord,
  'keyId' | 'environment' | 'scopes' | 'customerId'>

type Guard = (request: FastifyRequest, reply: FastifyReply) => Promise<void>

declare module 'fastify' {
  interface FastifyInstance {
    authenticateApiKey: Guard
    requireScope(scope: ApiKeyScope): Guard
    apiKeyLimiter: ApiKeyRateLimiter
  }
  interface FastifyRequest {
    /** Set by authenticateApiKey; null on every other route. */
    apiKey: ApiKeyPrincipal | null
  }
}

export interface ApiKeyAuthenticationOptions {
  /** Shared counters (Redis) when configured; in memory otherwise. */
  readonly limiter?: ApiKeyRateLimiter
}

type RefusalReason =
  | 'missing' | 'bearer_token' | 'malformed' | 'unknown' | 'revoked'
  | 'expired'

export class ApiKeyRateLimitError extends Error {
  readonly code = 'CR_ERR_API_KEY_RATE_LIMITED'
  readonly statusCode = 429
}

async function apiKeyAuthentication (
  app: FastifyInstance,
  options: ApiKeyAuthenticationOptions
) {
  const { services } = app.deps
  const limiter = options.limiter ?? createMemoryApiKeyRateLimiter()
  app.decorate('apiKeyLimiter', limiter)
  app.decorateRequest('apiKey', null)

  const record = (request: FastifyRequest, event: SecurityEvent) =>
    recordSecurityEvent(services, contextOf(request),
      securityDayStream('api-key', services.now()), event)

  const refuse = async (request: FastifyRequest, reason: RefusalReason,
    keyId: string | null = null) => {
    await record(request, {
      type: 'TokenRejected',
      data: { credential: 'api_key', reason, keyId, ...routeOf(request) }
    })

    return unauthenticated('CR_ERR_AUTH_INVALID_API_KEY',
      'a valid API key is required in the X-API-Key header')
  }

  app.decorate('authenticateApiKey', async (request: FastifyRequest,
    reply: FastifyReply) => {
    const presented = request.headers[API_KEY_HEADER]
    if (request.headers.authorization !== undefined) {
      throw await refuse(request, 'bearer_token')
    }
    if (typeof presented !== 'string') throw await refuse(request, 'missing')
    if (!isWellFormedApiKey(presented)) {
      throw await refuse(request, 'malformed')
    }

    const key = await findApiKeyByHash(services.db,
      hashApiKey(services.blindIndexKey, presented))
    const now = services.now()
    if (key === undefined) throw await refuse(request, 'unknown')
    if (key.revokedAt !== null) {
      throw await refuse(request, 'revoked', key.keyId)
    }
    if (key.expiresAt !== null && new Date(key.expiresAt) <= now) {
      throw await refuse(request, 'expired', key.keyId)
    }

    request.apiKey = { keyId: key.keyId, environment: key.environment,
      scopes: key.scopes, customerId: key.customerId }
    await enforceBudget(request, reply, key.keyId, now)
  })

  app.decorate('requireScope', (scope: ApiKeyScope) =>
    async (request: FastifyRequest) => {
      const key = request.apiKey
      if (key !== null && key.scopes.includes(scope)) return

      await record(request, {
        type: 'AccessDenied',
        data: { credential: 'api_key', keyId: key?.keyId ?? null,
          missingScope: scope, ...routeOf(request) }
      })
      throw forbidden('CR_ERR_AUTH_MISSING_SCOPE',
        `this API key does not have the ${scope} scope`)
    })

  async function enforceBudget (request: FastifyRequest,
    reply: FastifyReply, keyId: string, now: Date) {
    const decision = await limiter.hit(keyId, now)
    reply.header('x-ratelimit-limit', decision.limit)
    reply.header('x-ratelimit-remaining',
      Math.max(0, decision.limit - decision.count))
    if (decision.allowed) return

    const seconds = Math.max(1,
      Math.ceil((decision.resetAt.getTime() - now.getTime()) / 1000))
    reply.header('retry-after', seconds)
    // One event per key and window: a client hammering past its budget
    // must not turn every refused request into an append.
    if (decision.firstRefusal) {
      await record(request, {
        type: 'RateLimitExceeded',
        data: { credential: 'api_key', keyId, limit: decision.limit,
          windowEndsAt: decision.resetAt.toISOString(), ...routeOf(request) }
      })
    }
    throw new ApiKeyRateLimitError(
      'this API key has used its requests for this hour; retry later')
  }
}

function routeOf (request: FastifyRequest) {
  return { method: request.method, route: request.routeOptions.url ?? '' }
}

export default fp(apiKeyAuthentication, {
  name: 'api-key-authentication',
  dependencies: ['authentication']
})
