/**
 * OpenAPI 3 generated from the route schemas (the same TypeBox schemas that
 * validate requests, so the document cannot drift from the code), with
 * Swagger UI at /docs.
 */
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

async function openApi (app: FastifyInstance) {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'CloudRetail API',
        description: 'Event-sourced retail backend. Errors are ' +
          'application/problem+json; commands return the position of their ' +
          'last event for X-Min-Position (read-your-writes).',
        version: '0.1.0'
      },
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          // Integrations on /api/webhooks/* (api-key-authentication.ts).
          apiKeyAuth: { type: 'apiKey', in: 'header', name: 'X-API-Key' }
        }
      }
    }
  })
  await app.register(swaggerUi, { routePrefix: '/docs' })
}

export default fp(openApi, { name: 'openapi' })
