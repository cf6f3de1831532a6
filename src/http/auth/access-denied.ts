/**
 * Records a refused reach for something that is not the caller's (another
 * customer's order, another vendor's product, a route above the caller's
 * role) as an AccessDenied security event in `security-access-<date>`. The
 * answer the caller gets is unchanged; this is what lets monitoring see a
 * customer walking order ids or a vendor probing other catalogues.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'

import type { DomainError } from '../../commands/command-errors.ts'
import {
  recordSecurityEvent,
  securityDayStream
} from '../../commands/security/security-events.ts'
import { contextOf } from '../request-context.ts'

export async function recordAccessDenied (
  app: FastifyInstance,
  request: FastifyRequest,
  error: DomainError
) {
  const { services } = app.deps
  const params = request.params as { id?: unknown } | undefined
  const user = request.user as FastifyRequest['user'] | null | undefined

  await recordSecurityEvent(services, contextOf(request),
    securityDayStream('access', services.now()), {
      type: 'AccessDenied',
      data: {
        credential: 'session_token',
        userId: user?.userId ?? null,
        role: user?.role ?? null,
        code: error.code,
        method: request.method,
        route: request.routeOptions.url ?? null,
        targetId: typeof params?.id === 'string' ? params.id : null
      }
    })
}
