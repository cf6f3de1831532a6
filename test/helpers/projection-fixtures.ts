/**
 * A migrated database with the PostgreSQL event store on it, and builders
 * for the events the read models consume, for the projection tests.
 */
import { randomUUID } from 'node:crypto'

import { sql, type Kysely } from 'kysely'

import type { OrderLine } from '../../src/commands/orders/events.ts'
import type { Address } from '../../src/commands/users/events.ts'
import { appendChained } from '../../src/eventstore/chained-append.ts'
import type {
  AppendResult,
  EventData,
  EventStore
} from '../../src/eventstore/event-store.ts'
import {
  createPostgresEventStore
} from '../../src/eventstore/postgres/postgres-event-store.ts'
import type { Database } from '../../src/storage/schema.ts'
import { openTestDatabase } from './database.ts'

interface Teardown { teardown(fn: () => unknown): void }

export async function openProjectionWorld (t: Teardown) {
  const handle = await openTestDatabase(t)
  const store = createPostgresEventStore(handle.db, { pollIntervalMs: 10 })

  return { db: handle.db, store, engine: handle.engine }
}

let clock = Date.parse('2025-01-01T00:00:00.000Z')

/** Appends one event at the stream's end, with a fresh audit envelope. */
export async function record (
  store: EventStore,
  stream: string,
  type: string,
  data: EventData
): Promise<AppendResult> {
  clock += 1000
  const id = randomUUID()

  return await appendChained(store, stream, [{
    type,
    data,
    metadata: {
      eventId: id,
      occurredAt: new Date(clock).toISOString(),
      schemaVersion: 1,
      actor: { kind: 'system' },
      correlationId: id,
      causationId: id
    }
  }], 'any')
}

export const ADDRESS: Address = {
  street: '12 Fjordgata',
  city: 'Trondheim',
  state: 'Trondelag',
  postalCode: '7010',
  country: 'NO'
}

export function userRegistered (userId: string, name: string) {
  return {
    userId,
    role: 'customer',
    email: `${name}@example.com`,
    username: name,
    firstName: `${name}-first`,
    lastName: `${name}-last`,
    address: ADDRESS,
    passwordHash: '$2b$12$notarealhashnotarealhashnotarealhashnotarealhas',
    consent: {
      version: '1',
      grantedAt: '2025-01-01T00:00:00.000Z',
      marketing: false,
      analytics: true,
      thirdParty: false
    }
  }
}

export function productCreated (productId: string, overrides = {}) {
  return {
    productId,
    vendorId: 'vendor-1',
    sku: `SKU-${productId}`,
    title: `Product ${productId}`,
    description: 'A thing',
    category: 'tools',
    brand: null,
    priceCents: 1250,
    stock: 10,
    ...overrides
  }
}

export function orderLine (productId: string, quantity = 1): OrderLine {
  return {
    productId,
    vendorId: 'vendor-1',
    title: `Product ${productId}`,
    unitPriceCents: 1250,
    quantity,
    lineTotalCents: 1250 * quantity
  }
}

export function orderPlaced (
  orderId: string,
  customerId: string,
  lines: OrderLine[],
  shippingAddress: Address | null = ADDRESS
) {
  return {
    orderId,
    customerId,
    lines,
    totalCents: lines.reduce((sum, line) => sum + line.lineTotalCents, 0),
    shippingAddress,
    placedAt: new Date(clock).toISOString()
  }
}

/** Every read-model table (`rm_…`, in any schema) as JSON text. */
export async function dumpReadModels (db: Kysely<Database>) {
  const { rows: tables } = await sql<{ schema: string, name: string }>`
    select table_schema as schema, table_name as name
    from information_schema.tables
    where table_name like 'rm\\_%' order by 1, 2`.execute(db)
  const dump: Record<string, unknown[]> = {}
  for (const { schema, name } of tables) {
    const { rows } = await sql`select * from ${sql.table(`${schema}.${name}`)}`
      .execute(db)
    dump[`${schema}.${name}`] = rows
  }

  return JSON.stringify(dump)
}

/** Rows of the read models in a stable order, for comparing two builds. */
export async function snapshotReadModels (db: Kysely<Database>) {
  return {
    users: await db.selectFrom('rm_users').selectAll()
      .orderBy('user_id').execute(),
    products: await db.selectFrom('rm_products').selectAll()
      .orderBy('product_id').execute(),
    orders: await db.selectFrom('rm_orders').selectAll()
      .orderBy('order_id').execute(),
    lines: await db.selectFrom('rm_order_lines').selectAll()
      .orderBy('order_id').orderBy('line_no').execute()
  }
}
