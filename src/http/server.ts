/**
 * Runs the service: opens the engines, starts the projector beside the API
 * (unless PROJECTOR=off, when it runs as its own process), listens, runs
 * the order saga reconciler in the background, and on SIGINT or SIGTERM
 * stops taking requests, lets those in flight, the reconciler's step and
 * the projector's current batch finish, then closes the engines.
 */
import type { FastifyInstance } from 'fastify'

import {
  startOrderSagaReconciler
} from '../commands/orders/start-order-saga-reconciler.ts'
import type { Config } from '../config/load-config.ts'
import { trackAppends } from '../eventstore/append-tracker.ts'
import { ALL_PROJECTIONS } from '../projections/index.ts'
import { startProjector, type Projector } from '../projections/projector.ts'
import { waitForPosition } from '../projections/wait-for-position.ts'
import { openRuntime, type Runtime } from '../runtime/open-runtime.ts'
import { buildApp } from './app.ts'
import { createRedisApiKeyRateLimiter } from './auth/api-key-rate-limit.ts'
import { buildLogger } from './logger.ts'
import { buildTlsOptions } from './tls-options.ts'

export interface RunningServer {
  readonly app: FastifyInstance
  readonly runtime: Runtime
  readonly url: string
  stop(): Promise<void>
}

export interface ServeOptions {
  readonly withProjector?: boolean
}

/** How long a stopping server lets its projector catch up to the events
 * its own last requests appended. */
const DRAIN_TIMEOUT_MS = 5000

export async function startServer (
  config: Config,
  options: ServeOptions = {}
): Promise<RunningServer> {
  const logger = buildLogger(config.logLevel)
  const runtime = await openRuntime(config, logger)
  await assertKeysOpen(runtime)
  const appends = trackAppends(runtime.services.store)
  const services = { ...runtime.services, store: appends.store }
  const projector: Projector | undefined = options.withProjector === false
    ? undefined
    : await startProjector(runtime.store, services.db, ALL_PROJECTIONS,
      (event) => services.codec.reveal(event), {
        onError: (error) => logger.error({ err: error }, 'projector failed')
      })
  // A refused start (a weak JWT secret, a port in use) closes what it
  // opened, so the caller is left holding nothing.
  let app: FastifyInstance | undefined
  let url: string
  try {
    app = await buildApp({
      services,
      sessions: runtime.sessions,
      jwtSecret: config.secrets.jwtSecret,
      ...(config.secrets.jwtPreviousSecret === undefined
        ? {}
        : { jwtPreviousSecret: config.secrets.jwtPreviousSecret }),
      waitForProjections: (names, position) =>
        waitForPosition(services.db, names, position),
      ...(runtime.redis === undefined
        ? {}
        : {
            apiKeyLimiter: createRedisApiKeyRateLimiter(runtime.redis),
            readinessProbes: { redis: () => runtime.redis!.ping() }
          })
    }, {
      logger,
      allowedOrigins: config.allowedOrigins,
      allowedHosts: config.allowedHosts,
      gdprHeaders: config.gdprHeaders,
      ...(config.metricsToken === undefined
        ? {}
        : { metricsToken: config.metricsToken }),
      ...(config.tls === undefined ? {} : { tls: buildTlsOptions(config.tls) }),
      trustedProxies: config.trustedProxies,
      rateLimit: {
        redis: runtime.redis,
        exemptAddresses: config.rateLimitExemptIps
      }
    })
    url = await app.listen({ host: config.host, port: config.port })
  } catch (error) {
    await app?.close()
    await projector?.stop()
    await runtime.close()
    throw error
  }
  const started = app
  const reconciler = startOrderSagaReconciler(services, {
    onError: (error) =>
      logger.error({ err: error }, 'order saga reconciler failed'),
    onReport: (report) => {
      const repaired = report.abandoned + report.released + report.returned
      if (repaired > 0) logger.warn({ report }, 'order sagas reconciled')
    }
  })

  const stop = async () => {
    await started.close()
    await reconciler.stop()
    if (projector !== undefined) {
      await waitForPosition(services.db, [...projector.active],
        appends.lastAppended(), { timeoutMs: DRAIN_TIMEOUT_MS })
    }
    await projector?.stop()
    await runtime.close()
  }

  return { app: started, runtime, url, stop }
}

/**
 * A server whose KEK opens no stored key would start, answer /health, and
 * fail every request touching personal data (a rotation whose new KEK was
 * not configured, a wrong secret file): refuse to start instead.
 */
async function assertKeysOpen (runtime: Runtime) {
  const unknown = await runtime.services.keys.unknownKekIds()
  if (unknown.length === 0) return

  await runtime.close()
  throw new Error('stored subject keys are wrapped under a key-encryption ' +
    `key this server was not given (KEK ${unknown.join(', ')}); configure ` +
    'KEY_ENCRYPTION_KEY (or _FILE) as the key they were rotated to')
}

/** Stops cleanly once on the first SIGINT/SIGTERM. */
export function stopOnSignals (server: RunningServer) {
  let stopping = false
  const handle = (signal: string) => {
    if (stopping) return
    stopping = true
    server.app.log.info({ signal }, 'shutting down')
    server.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        server.app.log.error({ err: error }, 'shutdown failed')
        process.exit(1)
      })
  }
  process.once('SIGINT', handle)
  process.once('SIGTERM', handle)
}
