/**
 * Lookup tables the write side keeps beside the events: they answer "is this
 * email / username / SKU taken, and by whom?" at the moment of the command,
 * which an eventually consistent read model cannot. Users are found by a
 * keyed blind index, so these rows hold no plaintext personal data, and they
 * are deleted on erasure.
 */
import type { ColumnType } from 'kysely'

export interface UserLookupTable {
  purpose: 'email' | 'username'
  value_hash: string
  user_id: string
  created_at: ColumnType<Date, string | undefined, never>
}

export interface ProductSkuTable {
  sku_key: string
  product_id: string
}

export interface CommandIndexTables {
  user_lookup: UserLookupTable
  product_skus: ProductSkuTable
}
