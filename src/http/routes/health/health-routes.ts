/**
 * Liveness (the process answers) and readiness (every engine it was
 * configured with answers), for Kubernetes probes and load balancers. They
 * say which engine failed, never why: details go to the log.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { sql } from 'kysely'
import Type from 'typebox'

const Health = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  checks: Type.Optional(Type.Record(Type.String(), Type.Boolean()))
})

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, store } = app.deps.services

  app.get('/health/live', {
    schema: { tags: ['health'], response: { 200: Health } }
  }, async () => ({ status: 'ok' as const }))

  app.get('/health/ready', {
    schema: { tags: ['health'], response: { 200: Health, 503: Health } }
  }, async (request, reply) => {
    const checks = {
      database: await succeeds(() => sql`select 1`.execute(db)),
      eventStore: await succeeds(() => store.headPosition())
    }
    const ready = Object.values(checks).every(Boolean)
    if (!ready) request.log.warn({ checks }, 'not ready')

    return reply.code(ready ? 200 : 503)
      .send({ status: ready ? 'ok' : 'unavailable', checks })
  })
}

async function succeeds (probe: () => Promise<unknown>) {
  try {
    await probe()

    return true
  } catch {
    return false
  }
}
