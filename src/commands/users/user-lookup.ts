/**
 * Finding users without plaintext: emails and usernames are reduced to a
 * keyed blind index (HMAC) after normalisation, and the index rows double as
 * uniqueness reservations taken before the registration is appended.
 */
import type { Kysely } from 'kysely'

import { blindIndex, normaliseEmail } from '../../crypto/blind-index.ts'
import type { Database } from '../../storage/schema.ts'

export type LookupPurpose = 'email' | 'username'

export function lookupHash (key: Buffer, purpose: LookupPurpose, value: string) {
  const normalised = purpose === 'email'
    ? normaliseEmail(value)
    : value.normalize('NFKC').toLowerCase()

  return blindIndex(key, purpose, normalised)
}

/** Reserves the value for the user; false when another user holds it. */
export async function reserveLookup (
  db: Kysely<Database>,
  purpose: LookupPurpose,
  valueHash: string,
  userId: string
) {
  const inserted = await db.insertInto('user_lookup')
    .values({ purpose, value_hash: valueHash, user_id: userId })
    .onConflict((c) => c.columns(['purpose', 'value_hash']).doNothing())
    .returning('user_id')
    .executeTakeFirst()

  return inserted !== undefined
}

export async function findUserId (
  db: Kysely<Database>,
  purpose: LookupPurpose,
  valueHash: string
) {
  const row = await db.selectFrom('user_lookup')
    .select('user_id')
    .where('purpose', '=', purpose)
    .where('value_hash', '=', valueHash)
    .executeTakeFirst()

  return row?.user_id
}

export async function releaseLookups (db: Kysely<Database>, userId: string) {
  await db.deleteFrom('user_lookup').where('user_id', '=', userId).execute()
}
