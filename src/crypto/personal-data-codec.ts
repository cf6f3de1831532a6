/**
 * Encrypts the personal fields of events before they are appended and
 * decrypts them after they are read, each under its data subject's key
 * (AES-256-GCM, see field-cipher.ts). Which fields are personal is declared
 * in src/commands/personal-fields.ts.
 *
 * The AAD of each value is `<stream>|data.<field>` (or
 * `<stream>|metadata.client.ip` / `.userAgent`): a ciphertext copied into
 * another stream or field fails to decrypt. The event type is deliberately
 * left out so an upcaster may rename a type without orphaning its data.
 *
 * Reading never fails because a key is gone: an erased value reads as null,
 * so projectors keep running after an erasure. Only a value that fails
 * authentication (tampering) throws DecryptError.
 */
import type { Kysely } from 'kysely'

import { PERSONAL_FIELDS } from '../commands/personal-fields.ts'
import type { Database } from '../storage/schema.ts'
import { isAnonymousSubject } from './anonymous-subject.ts'
import { isEncryptedValue, type EncryptedValue } from './encrypted-value.ts'
import { decryptValue, encryptValue } from './field-cipher.ts'
import type { SubjectKeyStore } from './subject-key-store.ts'

// Callers look for the anonymous subject beside the codec that uses it.
export { anonymousSubjectFor } from './anonymous-subject.ts'

export interface PersonalDataCodecOptions {
  readonly keys: SubjectKeyStore
}

export interface PlainEvent {
  readonly type: string
  readonly data: Record<string, unknown>
}

export interface ClientInfo {
  readonly ip?: string
  readonly userAgent?: string
}

export interface ProtectedClientInfo {
  readonly ip?: EncryptedValue
  readonly userAgent?: EncryptedValue
}

export interface RevealedClientInfo {
  readonly ip: string | null
  readonly userAgent: string | null
}

/** Personal data for a subject with no usable key: never created, or erased. */
export class SubjectKeyMissingError extends Error {
  override readonly name = 'SubjectKeyMissingError'
  readonly code = 'CR_ERR_CRYPTO_SUBJECT_KEY_MISSING'
}

/** An event with personal fields whose subject field is not a string. */
export class SubjectMissingError extends Error {
  override readonly name = 'SubjectMissingError'
  readonly code = 'CR_ERR_CRYPTO_SUBJECT_MISSING'
}

type KeyLookup = (subject: string) => Promise<Buffer | null>

export class PersonalDataCodec {
  readonly #keys: SubjectKeyStore

  constructor (options: PersonalDataCodecOptions) {
    this.#keys = options.keys
  }

  /**
   * Encrypts every personal field the event carries (null and objects too)
   * under the subject named by its subject field. Events without personal
   * fields come back unchanged. Inside a transaction pass it as `trx`.
   */
  async protect<E extends PlainEvent> (
    stream: string,
    event: E,
    trx?: Kysely<Database>
  ): Promise<E> {
    const rule = PERSONAL_FIELDS[event.type]
    if (rule === undefined) {
      return event
    }

    const subject = event.data[rule.subjectField]
    if (typeof subject !== 'string' || subject === '') {
      throw new SubjectMissingError(
        `${event.type} needs its data subject in data.${rule.subjectField}`
      )
    }

    const key = await this.#requireKey(subject, trx)
    const data = { ...event.data }
    for (const field of rule.fields) {
      // An absent field holds nothing to protect; JSON cannot carry it.
      if (data[field] !== undefined) {
        data[field] = encryptValue(key, subject, data[field],
          toAad(stream, `data.${field}`))
      }
    }

    return { ...event, data }
  }

  /** Decrypts the event's personal fields; a field whose key is gone becomes
   * null. Throws DecryptError only for a value that was tampered with. */
  async reveal<E extends PlainEvent & { readonly stream: string }> (
    event: E,
    trx?: Kysely<Database>
  ): Promise<E> {
    const rule = PERSONAL_FIELDS[event.type]
    if (rule === undefined) {
      return event
    }

    const lookUp = this.#memoisedLookup(trx)
    const data = { ...event.data }
    for (const field of rule.fields) {
      if (data[field] !== undefined) {
        data[field] = await revealOne(lookUp, data[field],
          toAad(event.stream, `data.${field}`))
      }
    }

    return { ...event, data }
  }

  /** Encrypts the client's IP and user agent for an event's metadata. An
   * anonymous subject's daily key is created on first use. */
  async protectClient (
    subject: string,
    stream: string,
    client: ClientInfo,
    trx?: Kysely<Database>
  ): Promise<ProtectedClientInfo> {
    if (client.ip === undefined && client.userAgent === undefined) {
      return {}
    }

    const key = await this.#requireKey(subject, trx)
    const seal = (name: keyof ClientInfo, value: string | undefined) =>
      value === undefined
        ? {}
        : { [name]: encryptValue(key, subject, value, clientAad(stream, name)) }

    return { ...seal('ip', client.ip), ...seal('userAgent', client.userAgent) }
  }

  /** The client's IP and user agent as strings; null when absent or erased. */
  async revealClient (
    stream: string,
    client: ProtectedClientInfo | undefined,
    trx?: Kysely<Database>
  ): Promise<RevealedClientInfo> {
    const lookUp = this.#memoisedLookup(trx)
    const ip = await revealOne(lookUp, client?.ip, clientAad(stream, 'ip'))
    const userAgent = await revealOne(lookUp, client?.userAgent,
      clientAad(stream, 'userAgent'))

    return {
      ip: typeof ip === 'string' ? ip : null,
      userAgent: typeof userAgent === 'string' ? userAgent : null
    }
  }

  async #requireKey (subject: string, trx: Kysely<Database> | undefined) {
    const key = await this.#keys.getKey(subject, trx)
    if (key !== null) {
      return key
    }

    if (isAnonymousSubject(subject)) {
      await this.#keys.createKey(subject, trx)
      const created = await this.#keys.getKey(subject, trx)
      if (created !== null) {
        return created
      }
    }

    throw new SubjectKeyMissingError(
      `no key for data subject ${subject}: never created, or erased`
    )
  }

  // One event names one or two subjects; each key is fetched once.
  #memoisedLookup (trx: Kysely<Database> | undefined): KeyLookup {
    const keys = new Map<string, Promise<Buffer | null>>()

    return async (subject) => {
      let key = keys.get(subject)
      if (key === undefined) {
        key = this.#keys.getKey(subject, trx)
        keys.set(subject, key)
      }

      return await key
    }
  }
}

/** Values stored in plain (older events, or nothing to hide) pass through. */
async function revealOne (lookUp: KeyLookup, value: unknown, aad: string) {
  if (!isEncryptedValue(value)) {
    return value
  }

  const key = await lookUp(value.subject)

  return key === null ? null : decryptValue(key, value, aad)
}

function toAad (stream: string, path: string) {
  return `${stream}|${path}`
}

function clientAad (stream: string, name: keyof ClientInfo) {
  return toAad(stream, `metadata.client.${name}`)
}
