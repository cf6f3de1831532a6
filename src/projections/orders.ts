/**
 * The orders read model: orders with their lines, newest first. Orders are
 * kept for seven years, so when their customer is erased they stay; only the
 * shipping address, the one personal field, is nulled.
 */
import type { Kysely, Selectable } from 'kysely'

import type {
  OrderCancelled,
  OrderPlaced
} from '../commands/orders/events.ts'
import type { Address, UserErased } from '../commands/users/events.ts'
import type { RecordedEvent } from '../eventstore/event-store.ts'
import type { Database } from '../storage/schema.ts'
import { decodeCursor, toPage, toPageSize, type Page } from './keyset-cursor.ts'
import type { Projection } from './projection.ts'
import type {
  OrderLinesReadTable,
  OrdersReadTable
} from './read-model-tables.ts'
import { toIso, toIsoOrNull, toJsonb, toPersonal } from './read-values.ts'

export type OrderStatus = 'placed' | 'cancelled'

export interface OrderLineView {
  readonly productId: string
  readonly vendorId: string
  readonly title: string
  readonly unitPriceCents: number
  readonly quantity: number
  readonly lineTotalCents: number
}

export interface OrderView {
  readonly orderId: string
  readonly customerId: string
  readonly status: OrderStatus
  readonly lines: OrderLineView[]
  readonly totalCents: number
  readonly shippingAddress: Address | null
  readonly placedAt: string
  readonly cancelledAt: string | null
}

export const ordersProjection: Projection = {
  name: 'orders',
  version: 1,
  handles: ['OrderPlaced', 'OrderCancelled', 'UserErased'],
  tables: ['rm_orders', 'rm_order_lines'],
  async apply (trx, event) {
    switch (event.type) {
      case 'OrderPlaced':
        return await placeOrder(trx, event)
      case 'OrderCancelled':
        return await cancelOrder(trx, event.data as OrderCancelled)
      case 'UserErased':
        return await forgetAddresses(trx, event.data as UserErased)
    }
  }
}

export interface ListOrdersOptions {
  readonly customerId?: string
  readonly status?: OrderStatus
  /** Orders with at least one line of this product. */
  readonly productId?: string
  /** Orders with at least one line sold by this vendor. */
  readonly vendorId?: string
  /** 1..100, default 20. */
  readonly limit?: number
  /** nextCursor of the previous page. */
  readonly after?: string
}

/** Orders, newest first, a page at a time. */
export async function listOrders (
  db: Kysely<Database>,
  options: ListOrdersOptions = {}
): Promise<Page<OrderView>> {
  const size = toPageSize(options.limit)
  const { customerId, status, productId, vendorId, after } = options
  let query = db.selectFrom('rm_orders').selectAll('rm_orders')
    .orderBy('seq', 'desc')
    .limit(size + 1)
  if (customerId !== undefined) {
    query = query.where('customer_id', '=', customerId)
  }
  if (status !== undefined) query = query.where('status', '=', status)
  if (productId !== undefined || vendorId !== undefined) {
    query = query.where(({ exists, selectFrom }) => {
      let lines = selectFrom('rm_order_lines as line').select('line.line_no')
        .whereRef('line.order_id', '=', 'rm_orders.order_id')
      if (productId !== undefined) {
        lines = lines.where('line.product_id', '=', productId)
      }
      if (vendorId !== undefined) {
        lines = lines.where('line.vendor_id', '=', vendorId)
      }

      return exists(lines)
    })
  }
  if (after !== undefined) query = query.where('seq', '<', decodeCursor(after))

  const rows = await query.execute()
  const lines = await readLines(db, rows.slice(0, size).map((r) => r.order_id))

  return toPage(rows, size, (row) =>
    toOrderView(row, lines.get(row.order_id) ?? []))
}

export async function getOrder (
  db: Kysely<Database>,
  orderId: string
): Promise<OrderView | undefined> {
  const row = await db.selectFrom('rm_orders').selectAll()
    .where('order_id', '=', orderId)
    .executeTakeFirst()
  if (row === undefined) return undefined

  const lines = await readLines(db, [orderId])

  return toOrderView(row, lines.get(orderId) ?? [])
}

async function placeOrder (trx: Kysely<Database>, event: RecordedEvent) {
  const data = event.data as OrderPlaced
  const address = toPersonal(data.shippingAddress)

  const inserted = await trx.insertInto('rm_orders')
    .values({
      order_id: data.orderId,
      customer_id: data.customerId,
      status: 'placed',
      total_cents: data.totalCents,
      placed_at: data.placedAt,
      cancelled_at: null,
      shipping_address: address === null ? null : toJsonb(address),
      seq: event.position.toString()
    })
    .onConflict((oc) => oc.column('order_id').doNothing())
    .returning('order_id')
    .executeTakeFirst()
  if (inserted === undefined || data.lines.length === 0) return

  await trx.insertInto('rm_order_lines')
    .values(data.lines.map((line, index) => ({
      order_id: data.orderId,
      line_no: index + 1,
      product_id: line.productId,
      vendor_id: line.vendorId,
      title: line.title,
      unit_price_cents: line.unitPriceCents,
      quantity: line.quantity,
      line_total_cents: line.lineTotalCents
    })))
    .execute()
}

async function cancelOrder (trx: Kysely<Database>, data: OrderCancelled) {
  await trx.updateTable('rm_orders')
    .set({ status: 'cancelled', cancelled_at: data.cancelledAt })
    .where('order_id', '=', data.orderId)
    .execute()
}

async function forgetAddresses (trx: Kysely<Database>, data: UserErased) {
  await trx.updateTable('rm_orders')
    .set({ shipping_address: null })
    .where('customer_id', '=', data.userId)
    .execute()
}

async function readLines (db: Kysely<Database>, orderIds: string[]) {
  const byOrder = new Map<string, OrderLineView[]>()
  if (orderIds.length === 0) return byOrder

  const rows = await db.selectFrom('rm_order_lines').selectAll()
    .where('order_id', 'in', orderIds)
    .orderBy('order_id').orderBy('line_no')
    .execute()
  for (const row of rows) {
    const lines = byOrder.get(row.order_id) ?? []
    lines.push(toLineView(row))
    byOrder.set(row.order_id, lines)
  }

  return byOrder
}

function toOrderView (
  row: Selectable<OrdersReadTable>,
  lines: OrderLineView[]
): OrderView {
  return {
    orderId: row.order_id,
    customerId: row.customer_id,
    status: row.status,
    lines,
    totalCents: Number(row.total_cents),
    shippingAddress: row.shipping_address,
    placedAt: toIso(row.placed_at),
    cancelledAt: toIsoOrNull(row.cancelled_at)
  }
}

function toLineView (row: Selectable<OrderLinesReadTable>): OrderLineView {
  return {
    productId: row.product_id,
    vendorId: row.vendor_id,
    title: row.title,
    unitPriceCents: Number(row.unit_price_cents),
    quantity: row.quantity,
    lineTotalCents: Number(row.line_total_cents)
  }
}
