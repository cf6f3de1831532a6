/**
 * Reads and writes of the api_keys lookup table. A presented key is found
 * by its keyed hash, an equality match on a unique index: the database
 * never compares secrets, and the hash it matched is compared once more in
 * constant time before the row is believed.
 */
import type { Kysely, Selectable } from 'kysely'

import { isSameApiKeyHash } from '../../crypto/api-key-hashing.ts'
import type { ApiKeyEnvironment } from '../../crypto/api-key-hashing.ts'
import type { Database } from '../../storage/schema.ts'
import type { ApiKeysTable } from './api-key-tables.ts'
import type { ApiKeyCreated, ApiKeyScope } from './events.ts'

/** The most keys the admin listing returns (newest first). */
export const MAX_LISTED_KEYS = 1000

export interface ApiKeyRecord {
  readonly keyId: string
  readonly name: string
  readonly environment: ApiKeyEnvironment
  readonly scopes: readonly ApiKeyScope[]
  readonly customerId: string | null
  readonly createdBy: string
  readonly createdAt: string
  readonly expiresAt: string | null
  readonly revokedAt: string | null
}

export async function insertApiKey (
  db: Kysely<Database>,
  created: ApiKeyCreated
) {
  await db.insertInto('api_keys')
    .values({
      key_id: created.keyId,
      key_hash: created.keyHash,
      name: created.name,
      environment: created.environment,
      scopes: created.scopes.join(' '),
      customer_id: created.customerId,
      created_by: created.createdBy,
      created_at: created.createdAt,
      expires_at: created.expiresAt,
      revoked_at: null
    })
    .execute()
}

export async function deleteApiKey (db: Kysely<Database>, keyId: string) {
  await db.deleteFrom('api_keys').where('key_id', '=', keyId).execute()
}

/** Marks a key revoked; a key revoked before keeps its first time. */
export async function markApiKeyRevoked (
  db: Kysely<Database>,
  keyId: string,
  revokedAt: string
) {
  await db.updateTable('api_keys')
    .set({ revoked_at: revokedAt })
    .where('key_id', '=', keyId)
    .where('revoked_at', 'is', null)
    .execute()
}

/** The key whose lookup hash this is, or undefined. */
export async function findApiKeyByHash (
  db: Kysely<Database>,
  keyHash: string
): Promise<ApiKeyRecord | undefined> {
  const row = await db.selectFrom('api_keys').selectAll()
    .where('key_hash', '=', keyHash)
    .executeTakeFirst()
  if (row === undefined || !isSameApiKeyHash(row.key_hash, keyHash)) {
    return undefined
  }

  return toRecord(row)
}

/** Every key, newest first, without hashes. */
export async function listApiKeys (
  db: Kysely<Database>
): Promise<ApiKeyRecord[]> {
  const rows = await db.selectFrom('api_keys').selectAll()
    .orderBy('created_at', 'desc').orderBy('key_id')
    .limit(MAX_LISTED_KEYS)
    .execute()

  return rows.map(toRecord)
}

function toRecord (row: Selectable<ApiKeysTable>): ApiKeyRecord {
  return {
    keyId: row.key_id,
    name: row.name,
    environment: row.environment,
    scopes: row.scopes.split(' ').filter((s) => s !== '') as ApiKeyScope[],
    customerId: row.customer_id,
    createdBy: row.created_by,
    createdAt: new Date(row.created_at).toISOString(),
    expiresAt: toIsoOrNull(row.expires_at),
    revokedAt: toIsoOrNull(row.revoked_at)
  }
}

function toIsoOrNull (value: Date | string | null) {
  return value === null ? null : new Date(value).toISOString()
}
