/**
 * The GDPR headers of the security architecture, on every response: where
 * data is processed, the privacy policy, and who the controller is.
 */
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

export interface GdprHeaderValues {
  readonly region: string
  readonly privacyPolicy: string
  readonly controller: string
}

export const DEFAULT_GDPR_HEADERS: GdprHeaderValues = {
  region: 'EU',
  privacyPolicy: 'https://cloudretail.com/privacy',
  controller: 'CloudRetail Ltd.'
}

async function gdprHeaders (app: FastifyInstance, values: GdprHeaderValues) {
  app.addHook('onRequest', async (_request, reply) => {
    reply.header('x-data-processing-region', values.region)
    reply.header('x-privacy-policy', values.privacyPolicy)
    reply.header('x-data-controller', values.controller)
  })
}

export default fp(gdprHeaders, { name: 'gdpr-headers' })
