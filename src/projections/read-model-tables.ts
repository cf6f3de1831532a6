/**
 * Tables of the read side. Read-model tables carry an `rm_` prefix so they
 * never clash with write-side lookup tables in the same database, and so a
 * scan of "everything the read side holds" can find them by name.
 *
 * `seq` is the global position of the event that created the row: unique,
 * stable across rebuilds, and the keyset the list queries page by. int8
 * comes back as a string on both engines.
 */
import type { ColumnType } from 'kysely'

import type { Address, Consent, Role } from '../commands/users/events.ts'

type Timestamp = ColumnType<Date, Date | string, Date | string>
type NullableTimestamp =
  ColumnType<Date | null, Date | string | null, Date | string | null>
type Position = ColumnType<string, string, string>
/** jsonb is written as its JSON text and read back parsed. */
type Json<T> = ColumnType<T, string, string>
/** Amounts in cents, int8: read back as decimal text on pg and PGlite (see
 * src/storage/database.ts); read models turn them into numbers, exact far
 * beyond any order (2^53 cents). */
type Cents = ColumnType<string, number, number>

export interface ProjectionCheckpointsTable {
  name: string
  /** Position of the last event this projection has taken into account. */
  position: Position
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>
}

export interface UsersReadTable {
  user_id: string
  role: Role
  email: string | null
  username: string | null
  first_name: string | null
  last_name: string | null
  address: Json<Address | null> | null
  consent: Json<Consent>
  erased: boolean
  registered_at: Timestamp
  erased_at: NullableTimestamp
  seq: Position
}

export interface ProductsReadTable {
  product_id: string
  vendor_id: string
  sku: string
  title: string
  description: string
  category: string
  brand: string | null
  price_cents: Cents
  stock: number
  created_at: Timestamp
  updated_at: Timestamp
  seq: Position
}

export interface OrdersReadTable {
  order_id: string
  customer_id: string
  status: 'placed' | 'cancelled'
  total_cents: Cents
  placed_at: Timestamp
  cancelled_at: NullableTimestamp
  shipping_address: Json<Address | null> | null
  seq: Position
}

export interface OrderLinesReadTable {
  order_id: string
  line_no: number
  product_id: string
  vendor_id: string
  title: string
  unit_price_cents: Cents
  quantity: number
  line_total_cents: Cents
}

export interface ReadModelTables {
  projection_checkpoints: ProjectionCheckpointsTable
  rm_users: UsersReadTable
  rm_products: ProductsReadTable
  rm_orders: OrdersReadTable
  rm_order_lines: OrderLinesReadTable
}
