/**
 * A migrated database with the PostgreSQL event store on it, and builders
 * for the events the read models consume, for the projection tests.
 */
import { randomUUID } from 'node:crypto'

import { sql, type Kysely } from 'kysely'
import pg from 'pg'

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
import { openDatabase } from '../../src/storage/database.ts'
import { migrateToLatest } from '../../src/storage/migrate.ts'
import type { Database } from '../../src/storage/schema.ts'
import {
  createScratchDatabase,
  openTestDatabase,
  TEST_DATABASE_URL
} from './database.ts'

interface Teardown { teardown(fn: () => unknown): void }

export async function openProjectionWorld (t: Teardown) {
  const handle = TEST_DATABASE_URL === undefined
    ? await openTestDatabase(t)
    : await openScratchPostgres(t, TEST_DATABASE_URL)
  const store = createPostgresEventStore(handle.db, { pollIntervalMs: 10 })

  return { db: handle.db, store, engine: handle.engine }
}

/**
 * openTestDatabase, except that the drop waits until the pool's sockets
 * have closed: pg's Pool.end() resolves before they have, and a forced drop
 * that terminates one makes the pool emit an unhandled 'error'.
 */
async function openScratchPostgres (t: Teardown, adminUrl: string) {
  const scratch = await createScratchDatabase(adminUrl)
  const handle = await openDatabase({ url: scratch.url })
  t.teardown(async () => {
    await handle.close()
    await waitForSessionsToEnd(adminUrl, new URL(scratch.url).pathname.slice(1))
    await scratch.drop()
  })
  await migrateToLatest(handle.db)

  return handle
}

async function waitForSessionsToEnd (adminUrl: string, database: string) {
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    for (let attempt = 0; attempt < 200; attempt++) {
      const { rows } = await client.query<{ n: string }>(
        'select count(*) as n from pg_stat_activity where datname = $1',
        [database])
      if (rows[0]?.n === '0') return
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
  } finally {
    await client.end()
  }
}

let clock = Date.parse('2025-01-01T00:00:00.000Z')

/**
 * Appends one event at the stream's end, with a fresh audit envelope, and
 * returns once readers of the global order can see it. The store hides an
 * event while any older transaction on the server is still open (its gap
 * safety), and on a shared test server that may be someone else's.
 */
export async function record (
  store: EventStore,
  stream: string,
  type: string,
  data: EventData
): Promise<AppendResult> {
  clock += 1000
  const id = randomUUID()
  const result = await appendChained(store, stream, [{
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
  await waitUntilVisible(store, result.position)

  return result
}

async function waitUntilVisible (store: EventStore, position: bigint) {
  for (let attempt = 0; attempt < 3000; attempt++) {
    if (await store.headPosition() >= position) return
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  throw new Error(`event ${position} did not become visible within 30 s`)
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
