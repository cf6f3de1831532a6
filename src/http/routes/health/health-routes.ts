/**
 * Liveness (the process answers) and readiness (every engine it was
 * configured with answers), for Kubernetes probes and load balancers. They
 * say which engine failed, never why: details go to the log.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { sql } from 'kysely'
import Type from 'typebox'

/** A probe that has not answered by then counts as down: a hung engine
 * must not hang the kubelet's probe too. */
export const PROBE_TIMEOUT_MS = 2000

const Health = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  checks: Type.Optional(Type.Record(Type.String(), Type.Boolean()))
})

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, store } = app.deps.services
  const probes: Record<string, () => Promise<unknown>> = {
    database: () => sql`select 1`.execute(db),
    eventStore: () => store.headPosition(),
    ...app.deps.readinessProbes
  }

  app.get('/health/live', {
    schema: { tags: ['health'], response: { 200: Health } }
  }, async () => ({ status: 'ok' as const }))

  app.get('/health/ready', {
    schema: { tags: ['health'], response: { 200: Health, 503: Health } }
  }, async (request, reply) => {
    const checks = Object.fromEntries(await Promise.all(
      Object.entries(probes).map(async ([name, probe]) =>
        [name, await succeeds(probe)] as const)))
    const ready = Object.values(checks).every(Boolean)
    if (!ready) request.log.warn({ checks }, 'not ready')

    return reply.code(ready ? 200 : 503)
      .send({ status: ready ? 'ok' : 'unavailable', checks })
  })
}

async function succeeds (probe: () => Promise<unknown>) {
  let timer: NodeJS.Timeout | undefined
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), PROBE_TIMEOUT_MS)
  })
  try {
    return await Promise.race([probe().then(() => true), timedOut])
  } catch {
    return false
  } finally {
    clearTimeout(timer)
  }
}
