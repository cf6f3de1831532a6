/**
 * X-Correlation-ID: taken from the client when well formed (so a caller can
 * follow one request through our logs and events), generated otherwise, and
 * echoed on every response. It becomes Fastify's request id, so every log
 * line of the request carries it.
 */
import { randomUUID } from 'node:crypto'

import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

declare module 'fastify' {
  interface FastifyRequest {
    correlationId: string
  }
}

export const CORRELATION_HEADER = 'x-correlation-id'

// Printable, no spaces, bounded: nothing that could forge a log line.
const WELL_FORMED = /^[A-Za-z0-9._:-]{8,128}$/

export function pickCorrelationId (header: unknown): string {
  return typeof header === 'string' && WELL_FORMED.test(header)
    ? header
    : randomUUID()
}

async function correlationId (app: FastifyInstance) {
  app.decorateRequest('correlationId', '')
  app.addHook('onRequest', async (request, reply) => {
    request.correlationId = request.id
    reply.header(CORRELATION_HEADER, request.id)
  })
}

export default fp(correlationId, { name: 'correlation-id' })
