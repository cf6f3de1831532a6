/**
 * The one way the write side appends: personal fields are encrypted, the
 * audit metadata is attached, and the per-stream hash chain is extended.
 */
import { randomUUID } from 'node:crypto'

import type { AppendResult, ExpectedRevision } from '../eventstore/event-store.ts'
import { appendChained, type UnsealedEvent } from '../eventstore/hash-chain.ts'
import {
  clientSubjectOf,
  type CommandContext,
  type CommandServices
} from './command-context.ts'

export const EVENT_SCHEMA_VERSION = 1

export interface DomainEvent {
  readonly type: string
  readonly data: object
}

export interface AppendRequest {
  readonly stream: string
  readonly events: readonly DomainEvent[]
  readonly expected: ExpectedRevision
  /** Hash of the stream's last event when the caller has just read it. */
  readonly previousHash?: string
  /** Whose key protects the client's IP and user agent; defaults to the
   * acting user. Registration names the user being created. */
  readonly clientSubject?: string
}

export async function appendEvents (
  services: CommandServices,
  context: CommandContext,
  request: AppendRequest
): Promise<AppendResult> {
  const now = services.now()
  const subject = request.clientSubject ?? clientSubjectOf(context, now)
  const client = await services.codec.protectClient(subject, request.stream,
    context.client)
  const sealed: UnsealedEvent[] = []
  for (const event of request.events) {
    const protectedEvent = await services.codec.protect(request.stream, {
      type: event.type,
      data: { ...event.data }
    })
    const eventId = randomUUID()
    sealed.push({
      type: protectedEvent.type,
      data: protectedEvent.data,
      metadata: {
        eventId,
        occurredAt: now.toISOString(),
        schemaVersion: EVENT_SCHEMA_VERSION,
        actor: context.actor,
        correlationId: context.correlationId,
        causationId: context.causationId ?? context.correlationId,
        client
      }
    })
  }

  return appendChained(services.store, request.stream, sealed,
    request.expected, request.previousHash)
}
