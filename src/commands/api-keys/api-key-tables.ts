/**
 * The API key lookup table: found by the keyed hash of a presented key, it
 * answers at request time which key this is, what it may do, for whom, until
 * when, and whether it was revoked. It holds no key, only the hash, and is
 * rebuildable from the `apikey-<id>` streams.
 */
import type { ColumnType } from 'kysely'

type Timestamp = ColumnType<Date, Date | string, Date | string>
type NullableTimestamp =
  ColumnType<Date | null, Date | string | null, Date | string | null>

export interface ApiKeysTable {
  key_id: string
  key_hash: string
  name: string
  environment: 'live' | 'test'
  /** Space-separated scope names. */
  scopes: string
  customer_id: string | null
  created_by: string
  created_at: Timestamp
  expires_at: NullableTimestamp
  revoked_at: NullableTimestamp
}

export interface ApiKeyTables {
  api_keys: ApiKeysTable
}
