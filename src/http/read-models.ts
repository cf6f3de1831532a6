/**
 * Helpers every query route shares: read-your-writes (a client that just
 * wrote sends the position its command returned in X-Min-Position, and the
 * query waits, briefly and bounded, for the read models to reach it; if
 * they do not in time, the answer says so in X-Read-Model-Stale) and a
 * clean 400 for a cursor that was not one of ours.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

import { invalid } from '../commands/command-errors.ts'
import { isPositionText, MAX_POSITION } from '../eventstore/position-text.ts'
import { InvalidCursorError } from '../projections/projection-errors.ts'

export const MIN_POSITION_HEADER = 'x-min-position'

export async function awaitReadModels (
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  projections: readonly string[]
) {
  const header = request.headers[MIN_POSITION_HEADER]
  if (header === undefined || app.deps.waitForProjections === undefined) return
  if (typeof header !== 'string' || !isPositionText(header)) {
    throw invalid('CR_ERR_HTTP_MIN_POSITION',
      `must be a decimal position from 0 to ${MAX_POSITION}`,
      `headers.${MIN_POSITION_HEADER}`)
  }

  const reached = await app.deps.waitForProjections(projections, BigInt(header))
  // The answer goes out either way; a header says when it may be stale.
  if (!reached) reply.header('x-read-model-stale', 'true')
}

export async function readPage<T> (read: () => Promise<T>): Promise<T> {
  try {
    return await read()
  } catch (error) {
    if (error instanceof InvalidCursorError) {
      throw invalid('CR_ERR_HTTP_INVALID_CURSOR',
        'is not a cursor this API returned', 'querystring.after')
    }
    throw error
  }
}
