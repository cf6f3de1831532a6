/**
 * CORS from an explicit allow-list (ALLOWED_ORIGINS). An origin is matched
 * whole against the list, never by pattern or by reflecting what the client
 * sent, so a lookalike domain gets no Access-Control-Allow-Origin.
 */
import cors from '@fastify/cors'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

export const DEFAULT_ALLOWED_ORIGINS = ['https://cloudretail.com']
const ONE_DAY_SECONDS = 86_400

export interface CorsOptions {
  readonly allowedOrigins: readonly string[]
}

async function corsPolicy (app: FastifyInstance, options: CorsOptions) {
  const allowed = new Set(options.allowedOrigins)
  await app.register(cors, {
    origin: (origin, callback) => {
      callback(null, origin !== undefined && allowed.has(origin))
    },
    methods: ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'],
    allowedHeaders: ['Content-Type', 'Authorization', 'X-Correlation-ID'],
    exposedHeaders: ['X-Correlation-ID'],
    credentials: true,
    maxAge: ONE_DAY_SECONDS,
    // Strict mode answers a preflight without Access-Control-Request-Method
    // with a text/plain 400, the one error that would not be problem+json.
    strictPreflight: false
  })
}

export default fp(corsPolicy, { name: 'cors-policy' })
