/**
 * Refusing a request over its budget: a 429 problem (the error handler
 * renders it as application/problem+json) and, for the first refusal of a
 * key in a window, a `RateLimitExceeded` security event in the day's
 * `security-rate-limit-<date>` stream. Later refusals in the same window
 * record nothing, so a flood cannot become a flood of appends.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'

import {
  recordSecurityEvent,
  securityDayStream
} from '../../commands/security/security-events.ts'
import { contextOf } from '../request-context.ts'
import type { RefusalLedger } from './refusal-ledger.ts'
import type { LimitCheck } from './tier-limiters.ts'

export class RateLimitedError extends Error {
  readonly code = 'CR_ERR_HTTP_RATE_LIMITED'
  readonly statusCode = 429

  constructor (retryAfterSeconds: number) {
    super(`too many requests: retry in ${retryAfterSeconds} seconds`)
    this.name = 'RateLimitedError'
  }
}

export async function reportRefusals (
  app: FastifyInstance,
  request: FastifyRequest,
  ledger: RefusalLedger,
  checks: readonly LimitCheck[]
) {
  for (const check of checks.filter((one) => one.exceeded)) {
    try {
      if (!await ledger.isFirstRefusal(check.key, check.resetMs)) continue
      await record(app, request, check)
    } catch (error) {
      // The refusal stands even when it cannot be recorded.
      request.log.error({ err: error }, 'rate-limit refusal not recorded')
    }
  }
}

async function record (
  app: FastifyInstance,
  request: FastifyRequest,
  check: LimitCheck
) {
  const { services } = app.deps
  const userId = check.key.match(/:user:(.+)$/)?.[1]
  await recordSecurityEvent(services, contextOf(request),
    securityDayStream('rate-limit', services.now()), {
      type: 'RateLimitExceeded',
      data: {
        tier: check.tier,
        window: check.window.name,
        limit: check.limit,
        keyKind: check.kind,
        route: `${request.method} ${request.routeOptions.url ?? '(none)'}`,
        userId: userId ?? null
      }
    })
}
