/**
 * Builds the Fastify app without starting it: tests inject requests into the
 * very app the server listens with (src/http/server.ts starts it).
 */
import type { Server as HttpsServer } from 'node:https'
import type { TlsOptions } from 'node:tls'

import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, {
  type FastifyBaseLogger,
  type FastifyHttpsOptions,
  type FastifyInstance,
  type FastifyServerOptions
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
import hostAllowList from './plugins/app/host-allow-list.ts'
import jsonBody from './plugins/app/json-body.ts'
import undeclaredInput from './plugins/app/undeclared-input.ts'
import corsPolicy, { DEFAULT_ALLOWED_ORIGINS } from './plugins/external/cors.ts'
import metrics from './plugins/external/metrics.ts'
import openApi from './plugins/external/openapi.ts'
import securityHeaders from './plugins/external/security-headers.ts'
import rateLimitTiers, {
  type RateLimitSettings
} from './rate-limit/rate-limit.ts'
import { registerRoutes } from './routes/index.ts'
import { MAX_PARAM_LENGTH, repairUrl } from './url-repair.ts'
import { validatorCompiler } from './validator-compiler.ts'

/** Large enough for a 50-line order; anything bigger is refused with 413. */
export const BODY_LIMIT_BYTES = 64 * 1024
/** From the first byte to the last of a request; the longest route waits
 * 5 s for the read models, and no client needs a minute to send 64 KiB. */
export const REQUEST_TIMEOUT_MS = 30_000

export interface AppOptions {
  readonly logger?: FastifyBaseLogger
  readonly allowedOrigins?: readonly string[]
  readonly gdprHeaders?: GdprHeaderValues
  /** Addresses of reverse proxies whose X-Forwarded-For is believed. */
  readonly trustedProxies?: readonly string[]
  /** Rate-limit tiers: counters, exemptions; unset: the architecture's
   * limits, counted in this process, nobody exempt. */
  readonly rateLimit?: RateLimitSettings
  /** Host names the service answers for; empty or unset: any. */
  readonly allowedHosts?: readonly string[]
  /** Serve /metrics to holders of this bearer token; unset: no /metrics. */
  readonly metricsToken?: string
  /** Serve HTTPS with these options (see tls-options.ts). */
  readonly tls?: TlsOptions
}

export async function buildApp (
  deps: AppDependencies,
  options: AppOptions = {}
): Promise<FastifyInstance> {
  const serverOptions: FastifyServerOptions = {
    ...(options.logger === undefined
      ? { logger: false }
      : { loggerInstance: options.logger }),
    bodyLimit: BODY_LIMIT_BYTES,
    // Fastify's default is no limit. A request is authorised when its
    // headers arrive, so a body trickled in for minutes would act on a
    // session revoked in between (and hold a socket, slowloris-style).
    requestTimeout: REQUEST_TIMEOUT_MS,
    genReqId: (request) => pickCorrelationId(request.headers[CORRELATION_HEADER]),
    logController: new CorrelatedLogController(),
    trustProxy: options.trustedProxies === undefined ||
      options.trustedProxies.length === 0
      ? false
      : [...options.trustedProxies],
    return503OnClosing: true,
    // Fastify's defaults today, pinned: a prototype-poisoning body is a 400.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    rewriteUrl: (request) => repairUrl(request.url ?? '/'),
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH }
  }
  // Fastify types an HTTPS instance apart; the routes need no difference.
  const app = (options.tls === undefined
    ? Fastify(serverOptions)
    : Fastify({ ...serverOptions, https: options.tls } as
      FastifyHttpsOptions<HttpsServer>) as unknown as FastifyInstance
  ).withTypeProvider<TypeBoxTypeProvider>()

  app.setValidatorCompiler(validatorCompiler)
  app.decorate('deps', deps)

  await app.register(correlationId)
  registerProblemDetails(app)
  await app.register(securityHeaders)
  // Before CORS, which answers preflights from its own hook.
  await app.register(gdprHeaders, options.gdprHeaders ?? DEFAULT_GDPR_HEADERS)
  await app.register(corsPolicy, {
    allowedOrigins: options.allowedOrigins ?? DEFAULT_ALLOWED_ORIGINS
  })
  // After the header plugins, so a refused Host still gets every header.
  await app.register(hostAllowList, {
    allowedHosts: options.allowedHosts ?? []
  })
  // JSON only: a body in any other media type is answered 415.
  await app.register(jsonBody)
  // Before any route, so its onRoute hook sees every one of them.
  await app.register(undeclaredInput)
  if (options.metricsToken !== undefined) {
    await app.register(metrics, { token: options.metricsToken })
  }
  await app.register(authentication, {
    secret: deps.jwtSecret,
    ...(deps.jwtPreviousSecret === undefined
      ? {}
      : { previousSecret: deps.jwtPreviousSecret }),
    sessions: deps.sessions
  })
  await app.register(apiKeyAuthentication, { limiter: deps.apiKeyLimiter })
  // After authentication: signed-in callers are counted by user id.
  await app.register(rateLimitTiers, options.rateLimit ?? {})
  await app.register(openApi)
  await app.register(registerRoutes)

  return app
}
