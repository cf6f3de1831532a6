/**
 * Who is asking, from where, under which request: the audit context every
 * command records. The client address is Fastify's request.ip, which honours
 * only the proxies the server is configured to trust.
 */
import type { FastifyRequest } from 'fastify'

import type { CommandContext } from '../commands/command-context.ts'

const MAX_USER_AGENT = 512

export function contextOf (request: FastifyRequest): CommandContext {
  const user = request.user as FastifyRequest['user'] | undefined
  const userAgent = request.headers['user-agent']

  return {
    actor: user === undefined
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
