/**
 * Prometheus metrics at GET /metrics through prom-client: requests counted
 * and timed by method, route pattern (never the raw URL, so ids cannot
 * explode the label set) and status; the event store's head position and
 * each projection's checkpoint and lag, read when scraped; and the process
 * metrics prom-client collects by default.
 *
 * Who may read it: only a caller presenting METRICS_TOKEN as a bearer
 * token. Without a configured token the route does not exist (404): route
 * names, traffic and lag are reconnaissance, so they are not public by
 * default.
 */
import { createHash, timingSafeEqual } from 'node:crypto'

import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import {
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  Registry
} from 'prom-client'

import { unauthenticated } from '../../../commands/command-errors.ts'
import { ALL_PROJECTIONS } from '../../../projections/index.ts'
import { projectionStatus } from '../../../projections/projection-status.ts'

export interface MetricsOptions {
  /** Bearer token a scraper must present. */
  readonly token: string
}

export const METRICS_PATH = '/metrics'
const UNMATCHED_ROUTE = 'unmatched'
const LABELS = ['method', 'route', 'status_code'] as const

async function metrics (app: FastifyInstance, options: MetricsOptions) {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  registerRequestMetrics(app, registry)
  registerStoreMetrics(app, registry)
  const expected = digest(options.token)

  app.get(METRICS_PATH, {
    schema: { hide: true },
    onRequest: async (request) => {
      if (!presentsToken(request, expected)) {
        throw unauthenticated('CR_ERR_METRICS_TOKEN',
          'a valid metrics token is required')
      }
    }
  }, async (_request, reply) => {
    const text = await registry.metrics()

    return reply.type(registry.contentType).send(text)
  })
}

function registerRequestMetrics (app: FastifyInstance, registry: Registry) {
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route and status',
    labelNames: LABELS,
    registers: [registry]
  })
  const durations = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer HTTP requests, by method, route and status',
    labelNames: LABELS,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry]
  })

  app.addHook('onResponse', async (request, reply) => {
    const labels = {
      method: request.method,
      route: request.routeOptions.url ?? UNMATCHED_ROUTE,
      status_code: String(reply.statusCode)
    }
    requests.inc(labels)
    durations.observe(labels, reply.elapsedTime / 1000)
  })
}

function registerStoreMetrics (app: FastifyInstance, registry: Registry) {
  const { store, db } = app.deps.services
  new Gauge({
    name: 'cloudretail_event_store_head_position',
    help: 'Position of the last event appended (events appended so far)',
    registers: [registry],
    collect: async function () {
      this.set(Number(await store.headPosition()))
    }
  })
  new Gauge({
    name: 'cloudretail_projection_lag_positions',
    help: 'How far each projection trails the head, in positions',
    labelNames: ['projection'],
    registers: [registry],
    collect: async function () {
      const statuses = await projectionStatus(store, db, ALL_PROJECTIONS)
      for (const status of statuses) {
        this.set({ projection: status.name }, Number(status.lag))
      }
    }
  })
}

function presentsToken (request: FastifyRequest, expected: Buffer) {
  const header = request.headers.authorization
  const match = typeof header === 'string'
    ? /^Bearer ([\x21-\x7e]{1,512})$/.exec(header)
    : null

  return match !== null && timingSafeEqual(digest(match[1]!), expected)
}

// Equal-length digests let timingSafeEqual compare tokens of any length.
function digest (token: string) {
  return createHash('sha256').update(token).digest()
}

export default fp(metrics, { name: 'metrics' })
