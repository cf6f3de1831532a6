/**
 * Session tokens: HS256 JWTs that live 24 hours and carry a token id so
 * they can be revoked. `app.authenticate` refuses a missing, malformed,
 * forged, expired, not-yet-valid or revoked token with 401, and records
 * every refused token as a TokenRejected security event (a missing one is
 * not an attempt); `app.authorize(roles)` refuses a signed-in caller outside
 * the route's roles with 403.
 *
 * Rotation: tokens are signed with the current secret and name it by a key
 * id (`kid`, derived from the secret, revealing nothing of it). A token
 * naming the previous secret is checked against that one, so sessions
 * issued before a rotation last until they expire.
 */
import { createHmac } from 'node:crypto'

import jwt from '@fastify/jwt'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'

import type { Role } from '../../../commands/users/events.ts'
import {
  denyingAccess,
  forbidden,
  unauthenticated
} from '../../../commands/command-errors.ts'
import {
  recordSecurityEvent,
  securityDayStream
} from '../../../commands/security/security-events.ts'
import { MIN_SECRET_BYTES } from '../../../config/secrets.ts'
import type { SessionStore } from '../../auth/session-store.ts'
import { contextOf } from '../../request-context.ts'

export interface SessionClaims {
  userId: string
  email: string
  role: Role
  jti: string
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: SessionClaims
    user: SessionClaims & { iat: number, exp: number }
  }
}

type Guard = (request: FastifyRequest, reply: FastifyReply) => Promise<void>

declare module 'fastify' {
  interface FastifyInstance {
    authenticate: Guard
    authorize(roles: readonly Role[]): Guard
    issueSessionToken(
      claims: Omit<SessionClaims, 'jti'>,
      tokenId: string
    ): Promise<string>
  }
}

export const TOKEN_LIFETIME_SECONDS = 24 * 60 * 60
const ALGORITHM = 'HS256'
const REQUIRED_CLAIMS = ['userId', 'email', 'role', 'jti', 'iat', 'exp']
// The scheme's name is case-insensitive (RFC 9110, 11.1); the token is not.
const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/i

export interface AuthenticationOptions {
  readonly secret: Buffer
  /** The secret before the last rotation; verifies, never signs. */
  readonly previousSecret?: Buffer
  readonly sessions: SessionStore
}

export class WeakJwtSecretError extends Error {
  readonly code = 'CR_ERR_CONFIG_SECRET'
}

/** Names a secret in token headers without revealing anything of it. */
export function keyIdOf (secret: Buffer) {
  return createHmac('sha256', secret).update('cloudretail/jwt-key-id')
    .digest('base64url').slice(0, 16)
}

async function authentication (
  app: FastifyInstance,
  options: AuthenticationOptions
) {
  for (const secret of [options.secret, options.previousSecret]) {
    if (secret !== undefined && secret.length < MIN_SECRET_BYTES) {
      throw new WeakJwtSecretError('the JWT secret must hold at least ' +
        `${MIN_SECRET_BYTES * 8} bits`)
    }
  }
  const currentKid = keyIdOf(options.secret)
  const previous = options.previousSecret
  const previousKid = previous === undefined ? undefined : keyIdOf(previous)

  await app.register(jwt, {
    secret: options.secret,
    sign: { algorithm: ALGORITHM, expiresIn: TOKEN_LIFETIME_SECONDS,
      kid: currentKid },
    verify: { algorithms: [ALGORITHM], requiredClaims: REQUIRED_CLAIMS,
      maxAge: TOKEN_LIFETIME_SECONDS }
  })

  app.decorate('issueSessionToken',
    async (claims: Omit<SessionClaims, 'jti'>, tokenId: string) => {
      const expiresAt = new Date(Date.now() + TOKEN_LIFETIME_SECONDS * 1000)
      await options.sessions.open(claims.userId, tokenId, expiresAt)

      return app.jwt.sign({ ...claims, jti: tokenId })
    })

  const verify = (token: string) => {
    const kid = app.jwt.decode<{ header: { kid?: unknown } }>(token,
      { complete: true })?.header.kid
    // The signature decides: a kid only picks which secret checks it.
    return previous !== undefined && kid === previousKid
      ? app.jwt.verify<FastifyRequest['user']>(token, { key: previous })
      : app.jwt.verify<FastifyRequest['user']>(token)
  }

  const refuse = async (request: FastifyRequest, reason: string,
    userId: string | null = null) => {
    const { services } = app.deps
    await recordSecurityEvent(services, contextOf(request),
      securityDayStream('token', services.now()), {
        type: 'TokenRejected',
        data: { credential: 'session_token', reason, userId,
          method: request.method, route: request.routeOptions.url ?? null }
      })

    // Why the token failed stays in the event: the client learns only 401.
    return unauthenticated('CR_ERR_AUTH_INVALID_TOKEN',
      'a valid bearer token is required')
  }

  app.decorate('authenticate', async (request: FastifyRequest) => {
    const header = request.headers.authorization
    if (header === undefined || header === '') {
      throw unauthenticated('CR_ERR_AUTH_INVALID_TOKEN',
        'a valid bearer token is required')
    }
    const token = BEARER.exec(header)?.[1]
    if (token === undefined) throw await refuse(request, 'malformed')

    let claims: FastifyRequest['user']
    try {
      claims = verify(token)
    } catch (error) {
      throw await refuse(request, reasonOf(error))
    }
    if (!await options.sessions.isOpen(claims.userId, claims.jti)) {
      throw await refuse(request, 'revoked', claims.userId)
    }
    request.user = claims
  })

  app.decorate('authorize', (roles: readonly Role[]) =>
    async (request: FastifyRequest) => {
      if (!roles.includes(request.user.role)) {
        throw denyingAccess(forbidden('CR_ERR_AUTH_FORBIDDEN',
          'your role does not allow this'))
      }
    })
}

const REASONS: Readonly<Record<string, string>> = {
  FAST_JWT_EXPIRED: 'expired',
  FAST_JWT_INACTIVE: 'not_yet_valid',
  FAST_JWT_INVALID_SIGNATURE: 'bad_signature',
  FAST_JWT_MISSING_SIGNATURE: 'unsigned',
  FAST_JWT_INVALID_ALGORITHM: 'wrong_algorithm',
  FAST_JWT_MALFORMED: 'malformed',
  FAST_JWT_INVALID_PAYLOAD: 'malformed',
  FAST_JWT_MISSING_REQUIRED_CLAIM: 'missing_claim'
}

/** A fixed word for the log of refusals, never the library's message. */
function reasonOf (error: unknown) {
  const code = (error as { code?: unknown } | null)?.code

  return typeof code === 'string' ? REASONS[code] ?? 'invalid' : 'invalid'
}

export default fp(authentication, { name: 'authentication' })
