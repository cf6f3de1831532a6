/**
 * For auditors (and admins): the event history exactly as stored, and a
 * verification of any stream's hash chain. Personal fields stay ciphertext
 * here; verifying needs no key, so erased people's streams verify as well.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'

import type { RecordedEvent } from '../../../eventstore/event-store.ts'
import { verifyStream } from '../../../eventstore/hash-chain.ts'
import { AUDIT_READERS } from '../../auth/roles.ts'
import { errorResponses, Position, PositionInput } from '../../schemas/common.ts'

const MAX_PAGE = 1000

const StreamName = Type.String({ minLength: 1, maxLength: 200,
  pattern: '^[A-Za-z0-9][A-Za-z0-9:_.-]*$' })

const EventQuery = Type.Object({
  after: Type.Optional(PositionInput),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE,
    default: 100 })),
  stream: Type.Optional(StreamName)
}, { additionalProperties: false })

const StoredEvent = Type.Object({
  position: Position,
  stream: Type.String(),
  revision: Position,
  type: Type.String(),
  data: Type.Record(Type.String(), Type.Unknown()),
  metadata: Type.Record(Type.String(), Type.Unknown()),
  recordedAt: Type.String()
})

const EventPage = Type.Object({
  items: Type.Array(StoredEvent),
  next: Type.Union([Position, Type.Null()])
})

const Verification = Type.Object({
  stream: Type.String(),
  ok: Type.Boolean(),
  events: Type.Integer(),
  brokenAt: Type.Union([Position, Type.Null()]),
  reason: Type.Union([Type.String(), Type.Null()])
})

export const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { store } = app.deps.services
  const guard = [app.authenticate, app.authorize(AUDIT_READERS)]
  const security = [{ bearerAuth: [] }]

  app.get('/api/audit/events', {
    onRequest: guard,
    schema: {
      tags: ['audit'],
      summary: 'Replay the event log as stored, in global order',
      security,
      querystring: EventQuery,
      response: { 200: EventPage, ...errorResponses }
    }
  }, async (request) => {
    const { after, limit = 100, stream } = request.query
    const events = stream === undefined
      ? await store.readAll({ afterPosition: BigInt(after ?? '0'), limit })
      : await readStreamPage(stream, BigInt(after ?? '0'), limit)

    return {
      items: events.map(toStoredEvent),
      next: events.length === limit ? events.at(-1)!.position.toString() : null
    }
  })

  app.get('/api/audit/streams/:stream/verify', {
    onRequest: guard,
    schema: {
      tags: ['audit'],
      summary: 'Verify one stream\'s hash chain',
      security,
      params: Type.Object({ stream: StreamName },
        { additionalProperties: false }),
      response: { 200: Verification, ...errorResponses }
    }
  }, async (request) => {
    const result = await verifyStream(store, request.params.stream)

    return {
      stream: request.params.stream,
      ok: result.ok,
      events: result.events,
      brokenAt: result.brokenAt === undefined ? null : result.brokenAt.toString(),
      reason: result.reason ?? null
    }
  })

  // Within one stream, `after` is a global position too, so one cursor
  // works for both listings.
  async function readStreamPage (stream: string, after: bigint, limit: number) {
    const events = await store.readStream(stream)

    return events.filter((event) => event.position > after).slice(0, limit)
  }
}

function toStoredEvent (event: RecordedEvent) {
  return {
    position: event.position.toString(),
    stream: event.stream,
    revision: event.revision.toString(),
    type: event.type,
    data: event.data,
    metadata: event.metadata as unknown as Record<string, unknown>,
    recordedAt: event.recordedAt.toISOString()
  }
}
