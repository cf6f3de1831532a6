/**
 * Who is asking, from where, under which request: the audit context every
 * command records. The client address is Fastify's request.ip, which honours
 * only the proxies the server is configured to trust.
 */
import type { FastifyRequest } from 'fastify'

import type { CommandContext } from '../commands/command-context.ts'

const MAX_USER_AGENT = 512

export function contextOf (request: FastifyRequest): CommandContext {
  // @fastify/jwt leaves `user` null until a token has been verified.
  const user = request.user as FastifyRequest['user'] | null | undefined
  const userAgent = request.headers['user-agent']

  // An integration's request is the key's doing: see api-key-authentication.
  const apiKey = request.apiKey ?? null

  return {
    actor: apiKey !== null
      ? { kind: 'api_key', id: apiKey.keyId }
      : user === null || user === undefined
        ? { kind: 'anonymous' }
        : { kind: 'user', id: user.userId, role: user.role },
    correlationId: request.correlationId,
    client: {
      ip: request.ip,
      ...(typeof userAgent === 'string'
        ? { userAgent: userAgent.slice(0, MAX_USER_AGENT) }
        : {})
    }
  }
}
