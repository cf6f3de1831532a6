/**
 * Session tokens: HS256 JWTs that live 24 hours and carry a token id so
 * they can be revoked. `app.authenticate` refuses a missing, forged,
 * expired, not-yet-valid or revoked token with 401; `app.authorize(roles)`
 * refuses a signed-in caller outside the route's roles with 403.
 */
import jwt from '@fastify/jwt'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'

import type { Role } from '../../../commands/users/events.ts'
import { forbidden, unauthenticated } from '../../../commands/command-errors.ts'
import type { SessionStore } from '../../auth/session-store.ts'

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

export interface AuthenticationOptions {
  readonly secret: Buffer
  readonly sessions: SessionStore
}

async function authentication (
  app: FastifyInstance,
  options: AuthenticationOptions
) {
  await app.register(jwt, {
    secret: options.secret,
    sign: { algorithm: ALGORITHM, expiresIn: TOKEN_LIFETIME_SECONDS },
    verify: { algorithms: [ALGORITHM] }
  })

  app.decorate('issueSessionToken',
    async (claims: Omit<SessionClaims, 'jti'>, tokenId: string) => {
      const expiresAt = new Date(Date.now() + TOKEN_LIFETIME_SECONDS * 1000)
      await options.sessions.open(claims.userId, tokenId, expiresAt)

      return app.jwt.sign({ ...claims, jti: tokenId })
    })

  app.decorate('authenticate', async (request: FastifyRequest) => {
    try {
      await request.jwtVerify()
    } catch {
      // Why the token failed stays in here: the client learns only 401.
      throw unauthenticated('CR_ERR_AUTH_INVALID_TOKEN',
        'a valid bearer token is required')
    }
    const { userId, jti } = request.user
    if (!await options.sessions.isOpen(userId, jti)) {
      throw unauthenticated('CR_ERR_AUTH_INVALID_TOKEN',
        'a valid bearer token is required')
    }
  })

  app.decorate('authorize', (roles: readonly Role[]) =>
    async (request: FastifyRequest) => {
      if (!roles.includes(request.user.role)) {
        throw forbidden('CR_ERR_AUTH_FORBIDDEN',
          'your role does not allow this')
      }
    })
}

export default fp(authentication, { name: 'authentication' })
