/** Ops view of the read side: each projection's checkpoint, the head, lag. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'

import { ALL_PROJECTIONS } from '../../../projections/index.ts'
import { projectionStatus } from '../../../projections/projection-status.ts'
import { ADMINS } from '../../auth/roles.ts'
import { errorResponses, Position } from '../../schemas/common.ts'

const ProjectionReply = Type.Object({
  head: Position,
  projections: Type.Array(Type.Object({
    name: Type.String(),
    checkpoint: Position,
    head: Position,
    lag: Position,
    state: Type.String()
  }))
})

export const projectionRoute: FastifyPluginAsyncTypebox = async (app) => {
  const { store, db } = app.deps.services

  app.get('/api/admin/projections', {
    onRequest: [app.authenticate, app.authorize(ADMINS)],
    schema: {
      tags: ['admin'],
      summary: 'Projection checkpoints, head position and lag',
      security: [{ bearerAuth: [] }],
      response: { 200: ProjectionReply, ...errorResponses }
    }
  }, async () => {
    const statuses = await projectionStatus(store, db, ALL_PROJECTIONS)
    const head = statuses[0]?.head ?? await store.headPosition()

    return {
      head: head.toString(),
      projections: statuses.map((status) => ({
        name: status.name,
        checkpoint: status.checkpoint.toString(),
        head: status.head.toString(),
        lag: status.lag.toString(),
        state: status.state
      }))
    }
  })
}
