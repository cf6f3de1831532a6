/**
 * Security headers through @fastify/helmet, with exactly the policy of the
 * security architecture. `frame-ancestors 'none'` is added so the CSP agrees
 * with X-Frame-Options: DENY (helmet's default says 'self'). Answers of
 * the API are `Cache-Control: no-store` unless a route says otherwise:
 * tokens, profiles and orders must not linger in a browser's or a proxy's
 * cache.
 */
import helmet from '@fastify/helmet'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

const ONE_YEAR_SECONDS = 31_536_000

async function securityHeaders (app: FastifyInstance) {
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'https:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        mediaSrc: ["'self'"],
        frameSrc: ["'none'"],
        frameAncestors: ["'none'"]
      }
    },
    hsts: { maxAge: ONE_YEAR_SECONDS, includeSubDomains: true, preload: true },
    frameguard: { action: 'deny' },
    noSniff: true,
    xssFilter: true,
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' }
  })
  app.addHook('onSend', async (request, reply) => {
    if (request.url.startsWith('/api/') && !reply.hasHeader('cache-control')) {
      reply.header('cache-control', 'no-store')
    }
  })
}

export default fp(securityHeaders, { name: 'security-headers' })
