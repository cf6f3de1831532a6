/**
 * A body that tries to choose its own privileges (a `role` in a
 * registration, an `isAdmin` in a profile update) is refused by the
 * route's schema like any unknown property, with 400. Refusing is not
 * enough for monitoring: such a body is a privilege-escalation attempt, so
 * it is also recorded as a PrivilegeEscalationAttempted security event in
 * `security-privilege-<date>`, naming the fields and never their values.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'

import {
  recordSecurityEvent,
  securityDayStream
} from '../../commands/security/security-events.ts'
import { contextOf } from '../request-context.ts'

/** Names no client body may carry: privileges are granted, not asked for. */
export const PRIVILEGED_FIELDS: readonly string[] =
  ['role', 'roles', 'isAdmin', 'admin', 'permissions', 'scopes', 'userId']

export function recordPrivilegedFields (app: FastifyInstance) {
  return async (request: FastifyRequest) => {
    const fields = privilegedFieldsOf(request.body)
    if (fields.length === 0) return

    const { services } = app.deps
    const user = request.user as FastifyRequest['user'] | null | undefined
    await recordSecurityEvent(services, contextOf(request),
      securityDayStream('privilege', services.now()), {
        type: 'PrivilegeEscalationAttempted',
        data: {
          userId: user?.userId ?? null,
          role: user?.role ?? null,
          method: request.method,
          route: request.routeOptions.url ?? null,
          fields: fields.join(',')
        }
      })
  }
}

function privilegedFieldsOf (body: unknown): string[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return []
  }

  return PRIVILEGED_FIELDS.filter((name) => Object.hasOwn(body, name))
}
