/**
 * Envelope encryption for crypto-shredding: every data subject gets a random
 * AES-256 data key, stored only wrapped (AES-256-GCM, NIST SP 800-38D) under
 * the key-encryption key (KEK) from configuration, with the subject id as
 * AAD so a wrapped key cannot be moved to another subject. Erasing a subject
 * deletes its key and leaves a tombstone; every value encrypted under it is
 * then unreadable, while the events holding them stay intact.
 *
 * Security: unwrapped keys are cached per process for at most
 * KEY_CACHE_TTL_MS. shred() empties this process's cache at once, but another
 * replica may keep using a cached key for up to that long after an erasure.
 *
 * Limitations: PostgreSQL keeps a deleted row on disk until VACUUM reclaims
 * it, and WAL archives and backups keep it longer. Those copies are still
 * wrapped, so an erasure is final for them only once the KEK that wrapped
 * them is rotated away (rewrapAll) and destroyed.
 */
import { createHmac, randomBytes } from 'node:crypto'

import type { Kysely } from 'kysely'

import type { Database } from '../storage/schema.ts'
import {
  AES_256_KEY_BYTES,
  decryptBytes,
  encryptBytes
} from './field-cipher.ts'
import { KeyCache } from './key-cache.ts'

export const KEY_CACHE_TTL_MS = 60_000
/** 32-byte keys: ten thousand of them is about half a megabyte. */
export const KEY_CACHE_MAX_ENTRIES = 10_000
const REWRAP_BATCH_SIZE = 500

/** A transaction is a Kysely too: pass one to join the caller's work. */
export type KeyStoreExecutor = Kysely<Database>

export interface SubjectKeyStoreOptions {
  readonly db: Kysely<Database>
  /** Wraps new keys. 32 bytes. */
  readonly keyEncryptionKey: Buffer
  /** Older KEKs still accepted for unwrapping while a rotation runs. */
  readonly previousKeyEncryptionKeys?: readonly Buffer[]
  readonly cache?: {
    readonly ttlMs?: number
    readonly maxEntries?: number
    readonly now?: () => number
  }
}

export class SubjectErasedError extends Error {
  override readonly name = 'SubjectErasedError'
  readonly code = 'CR_ERR_CRYPTO_SUBJECT_ERASED'
}

export class UnknownKekError extends Error {
  override readonly name = 'UnknownKekError'
  readonly code = 'CR_ERR_CRYPTO_KEK_UNKNOWN'
}

export class SubjectKeyStore {
  readonly #db: Kysely<Database>
  readonly #keks = new Map<string, Buffer>()
  readonly #cache: KeyCache
  #currentKekId: string
  // Bumped by every shred, so a read that raced one does not cache its key.
  #shredCount = 0

  constructor (options: SubjectKeyStoreOptions) {
    this.#db = options.db
    for (const kek of options.previousKeyEncryptionKeys ?? []) {
      this.#keks.set(fingerprintKek(kek), kek)
    }
    this.#currentKekId = this.#addKek(options.keyEncryptionKey)
    this.#cache = new KeyCache({
      ttlMs: options.cache?.ttlMs ?? KEY_CACHE_TTL_MS,
      maxEntries: options.cache?.maxEntries ?? KEY_CACHE_MAX_ENTRIES,
      now: options.cache?.now ?? Date.now
    })
  }

  /** Fingerprint of the KEK that wraps new keys. */
  get kekId () {
    return this.#currentKekId
  }

  /** Fingerprints of KEKs that wrap stored keys but were not given to this
   * store: every such key would fail to open (after a rotation, say, when
   * the new KEK was not configured). */
  async unknownKekIds (): Promise<string[]> {
    const rows = await this.#db.selectFrom('subject_keys')
      .select('kek_id').distinct().execute()

    return rows.map((row) => row.kek_id)
      .filter((kekId) => !this.#keks.has(kekId))
  }

  /**
   * Gives the subject a data key unless it has one (then nothing changes).
   * Throws SubjectErasedError for an erased subject: a new key would start
   * collecting personal data about someone who asked to be forgotten.
   */
  async createKey (subject: string, trx?: KeyStoreExecutor): Promise<void> {
    const executor = trx ?? this.#db
    const dataKey = randomBytes(AES_256_KEY_BYTES)
    const wrapped = this.#wrap(subject, dataKey)
    dataKey.fill(0)

    // Insert only when no tombstone exists, in one statement.
    const values = executor.selectNoFrom((eb) => [
      eb.val(subject).as('subject_id'),
      eb.cast<Uint8Array>(eb.val(wrapped), 'bytea').as('wrapped_key'),
      eb.val(this.#currentKekId).as('kek_id')
    ]).where(({ not, exists, selectFrom }) => not(exists(
      selectFrom('erased_subjects').select('subject_id')
        .where('subject_id', '=', subject)
    )))
    const result = await executor.insertInto('subject_keys')
      .columns(['subject_id', 'wrapped_key', 'kek_id'])
      .expression(values)
      .onConflict((oc) => oc.column('subject_id').doNothing())
      .executeTakeFirst()

    if (result.numInsertedOrUpdatedRows === 0n &&
      await this.isErased(subject, executor)) {
      throw new SubjectErasedError(`subject ${subject} has been erased`)
    }
  }

  /**
   * The subject's data key, or null when it was erased or never created.
   * Inside a transaction pass it as `trx`: the result is then read through
   * it and not cached, since the transaction may still roll back.
   */
  async getKey (
    subject: string,
    trx?: KeyStoreExecutor
  ): Promise<Buffer | null> {
    const cached = trx === undefined ? this.#cache.get(subject) : undefined
    if (cached !== undefined) {
      return cached
    }

    const shredsBefore = this.#shredCount
    const row = await (trx ?? this.#db).selectFrom('subject_keys')
      .select(['wrapped_key', 'kek_id'])
      .where('subject_id', '=', subject)
      .executeTakeFirst()
    if (row === undefined) {
      return null
    }

    const key = this.#unwrap(subject, row)
    if (trx === undefined && shredsBefore === this.#shredCount) {
      this.#cache.set(subject, key)
    }

    return key
  }

  /** Deletes the subject's key and records a tombstone. Idempotent. */
  async shred (subject: string, trx?: KeyStoreExecutor): Promise<void> {
    this.#forget(subject)
    const run = async (executor: KeyStoreExecutor) => {
      await executor.insertInto('erased_subjects')
        .values({ subject_id: subject })
        .onConflict((oc) => oc.column('subject_id').doNothing())
        .execute()
      await executor.deleteFrom('subject_keys')
        .where('subject_id', '=', subject)
        .execute()
    }

    if (trx === undefined) {
      await this.#db.transaction().execute(run)
    } else {
      await run(trx)
    }
    this.#forget(subject)
  }

  async isErased (subject: string, trx?: KeyStoreExecutor) {
    const row = await (trx ?? this.#db).selectFrom('erased_subjects')
      .select('subject_id')
      .where('subject_id', '=', subject)
      .executeTakeFirst()

    return row !== undefined
  }

  /** Subject ids holding a key and starting with the prefix, in order (for
   * retention jobs, such as shredding old anonymous keys). */
  async listSubjects (prefix: string): Promise<string[]> {
    const rows = await this.#db.selectFrom('subject_keys')
      .select('subject_id')
      .where('subject_id', 'like', `${escapeLike(prefix)}%`)
      .orderBy('subject_id')
      .execute()

    return rows.map((row) => row.subject_id)
  }

  /**
   * Rotates the KEK: re-wraps every data key under `newKek` and makes it the
   * one new keys are wrapped with. Events are not touched: their values are
   * encrypted under data keys, which do not change. Safe to rerun after an
   * interruption. Returns how many keys were re-wrapped.
   *
   * Rotation across replicas: deploy the new KEK as current with the old one
   * in previousKeyEncryptionKeys, run this once, then drop the old KEK.
   */
  async rewrapAll (newKek: Buffer): Promise<number> {
    const newKekId = this.#addKek(newKek)
    this.#currentKekId = newKekId
    let after = ''
    let rewrapped = 0

    for (;;) {
      const rows = await this.#db.selectFrom('subject_keys')
        .select(['subject_id', 'wrapped_key', 'kek_id'])
        .where('kek_id', '<>', newKekId)
        .where('subject_id', '>', after)
        .orderBy('subject_id')
        .limit(REWRAP_BATCH_SIZE)
        .execute()
      const last = rows.at(-1)
      if (last === undefined) {
        return rewrapped
      }

      rewrapped += await this.#rewrapBatch(rows, newKekId)
      after = last.subject_id
    }
  }

  async #rewrapBatch (
    rows: ReadonlyArray<{ subject_id: string } & WrappedRow>,
    newKekId: string
  ) {
    return await this.#db.transaction().execute(async (trx) => {
      let updated = 0n
      for (const row of rows) {
        const key = this.#unwrap(row.subject_id, row)
        const wrapped = this.#wrap(row.subject_id, key)
        key.fill(0)
        // Matching the old kek_id skips a row a concurrent run got to first.
        const result = await trx.updateTable('subject_keys')
          .set({ wrapped_key: wrapped, kek_id: newKekId })
          .where('subject_id', '=', row.subject_id)
          .where('kek_id', '=', row.kek_id)
          .executeTakeFirst()
        updated += result.numUpdatedRows
      }

      return Number(updated)
    })
  }

  #addKek (kek: Buffer) {
    if (kek.length !== AES_256_KEY_BYTES) {
      throw new RangeError(
        `the key-encryption key must be ${AES_256_KEY_BYTES} bytes`
      )
    }

    const id = fingerprintKek(kek)
    this.#keks.set(id, kek)

    return id
  }

  #wrap (subject: string, dataKey: Buffer) {
    const kek = this.#keks.get(this.#currentKekId) as Buffer

    return encryptBytes(kek, dataKey, subject)
  }

  #unwrap (subject: string, row: WrappedRow) {
    const kek = this.#keks.get(row.kek_id)
    if (kek === undefined) {
      throw new UnknownKekError(
        `the key of ${subject} is wrapped under KEK ${row.kek_id}, ` +
        'which this process was not given'
      )
    }

    return decryptBytes(kek, row.wrapped_key, subject)
  }

  #forget (subject: string) {
    this.#shredCount += 1
    this.#cache.delete(subject)
  }
}

interface WrappedRow {
  readonly wrapped_key: Uint8Array
  readonly kek_id: string
}

/**
 * A short, stable id for a KEK that reveals nothing about it: HMAC-SHA-256
 * (RFC 2104) keyed by the KEK over a fixed label, cut to 64 bits.
 */
export function fingerprintKek (kek: Buffer): string {
  return createHmac('sha256', kek)
    .update('cloudretail/kek-id')
    .digest('hex')
    .slice(0, 16)
}

function escapeLike (text: string) {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`)
}
