/**
 * Builds the Fastify app without starting it: tests inject requests into the
 * very app the server listens with (src/http/server.ts starts it).
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance
} from 'fastify'

import type { AppDependencies } from './app-dependencies.ts'
import apiKeyAuthentication from './auth/api-key-authentication.ts'
import { registerProblemDetails } from './errors/problem-details.ts'
import { CorrelatedLogController } from './log-controller.ts'
import authentication from './plugins/app/authentication.ts'
import correlationId, {
  CORRELATION_HEADER,
  pickCorrelationId
} from './plugins/app/correlation-id.ts'
import gdprHeaders, {
  DEFAULT_GDPR_HEADERS,
  type GdprHeaderValues
} from './plugins/app/gdpr-headers.ts'
import corsPolicy, { DEFAULT_ALLOWED_ORIGINS } from './plugins/external/cors.ts'
import openApi from './plugins/external/openapi.ts'
import securityHeaders from './plugins/external/security-headers.ts'
import rateLimitTiers, {
  type RateLimitSettings
} from './rate-limit/rate-limit.ts'
import { registerRoutes } from './routes/index.ts'
import { validatorCompiler } from './validator-compiler.ts'

/** Large enough for a 50-line order; anything bigger is refused with 413. */
export const BODY_LIMIT_BYTES = 64 * 1024

export interface AppOptions {
  readonly logger?: FastifyBaseLogger
  readonly allowedOrigins?: readonly string[]
  readonly gdprHeaders?: GdprHeaderValues
  /** Addresses of reverse proxies whose X-Forwarded-For is believed. */
  readonly trustedProxies?: readonly string[]
  /** Rate-limit tiers: counters, exemptions; unset: the architecture's
   * limits, counted in this process, nobody exempt. */
  readonly rateLimit?: RateLimitSettings
}

export async function buildApp (
  deps: AppDependencies,
  options: AppOptions = {}
): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.logger === undefined
      ? { logger: false }
      : { loggerInstance: options.logger }),
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: (request) => pickCorrelationId(request.headers[CORRELATION_HEADER]),
    logController: new CorrelatedLogController(),
    trustProxy: options.trustedProxies === undefined ||
      options.trustedProxies.length === 0
      ? false
      : [...options.trustedProxies],
    return503OnClosing: true
  }).withTypeProvider<TypeBoxTypeProvider>()

  app.setValidatorCompiler(validatorCompiler)
  // JSON only: a body in any other media type is answered 415.
  app.removeContentTypeParser(['text/plain'])
  app.decorate('deps', deps)

  await app.register(correlationId)
  registerProblemDetails(app)
  await app.register(securityHeaders)
  await app.register(corsPolicy, {
    allowedOrigins: options.allowedOrigins ?? DEFAULT_ALLOWED_ORIGINS
  })
  await app.register(gdprHeaders, options.gdprHeaders ?? DEFAULT_GDPR_HEADERS)
  await app.register(authentication, {
    secret: deps.jwtSecret,
    sessions: deps.sessions
  })
  await app.register(apiKeyAuthentication, { limiter: deps.apiKeyLimiter })
  // After authentication: signed-in callers are counted by user id.
  await app.register(rateLimitTiers, options.rateLimit ?? {})
  await app.register(openApi)
  await app.register(registerRoutes)

  return app
}
