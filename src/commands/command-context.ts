/**
 * What every command handler is given: the engines it writes through
 * (services) and who is asking, from where, under which request (context).
 * The context becomes each event's audit metadata.
 */
import type { Kysely } from 'kysely'

import type { PersonalDataCodec } from '../crypto/personal-data-codec.ts'
import type { SubjectKeyStore } from '../crypto/subject-key-store.ts'
import type { EventStore } from '../eventstore/event-store.ts'
import type { Actor } from '../eventstore/event-metadata.ts'
import type { Database } from '../storage/schema.ts'

export interface CommandServices {
  readonly store: EventStore
  readonly db: Kysely<Database>
  readonly keys: SubjectKeyStore
  readonly codec: PersonalDataCodec
  readonly blindIndexKey: Buffer
  readonly now: () => Date
}

export interface ClientInfo {
  readonly ip?: string
  readonly userAgent?: string
}

export interface CommandContext {
  readonly actor: Actor
  readonly correlationId: string
  /** The id of the message that caused this command; the correlation id
   * when the command came straight from a client. */
  readonly causationId?: string
  readonly client: ClientInfo
}

/** The data subject under whose key the client's IP and user agent are
 * stored: the acting user, else a daily anonymous subject. */
export function clientSubjectOf (context: CommandContext, now: Date) {
  return context.actor.kind === 'user' && context.actor.id !== undefined
    ? context.actor.id
    : `anonymous-${now.toISOString().slice(0, 10)}`
}
