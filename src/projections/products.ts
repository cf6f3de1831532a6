/**
 * The products read model: the catalogue as shoppers browse it. Stock is
 * taken from each stock event's `stockAfter`, an absolute value, so applying
 * an event again leaves the row as it was.
 */
import type { Kysely, Selectable } from 'kysely'

import type {
  ProductCreated,
  ProductUpdated,
  StockAdjusted
} from '../commands/products/events.ts'
import type { RecordedEvent } from '../eventstore/event-store.ts'
import type { Database } from '../storage/schema.ts'
import { decodeCursor, toPage, toPageSize, type Page } from './keyset-cursor.ts'
import type { Projection } from './projection.ts'
import type { ProductsReadTable } from './read-model-tables.ts'
import { toIso } from './read-values.ts'

export interface ProductView {
  readonly productId: string
  readonly vendorId: string
  readonly sku: string
  readonly title: string
  readonly description: string
  readonly category: string
  readonly brand: string | null
  readonly priceCents: number
  readonly stock: number
  readonly createdAt: string
  readonly updatedAt: string
}

/** The stock events share this shape; only the count after them matters. */
type StockChange = Pick<StockAdjusted, 'productId' | 'stockAfter'>

export const productsProjection: Projection = {
  name: 'products',
  version: 1,
  handles: ['ProductCreated', 'ProductUpdated', 'StockAdjusted',
    'StockReserved', 'StockReleased'],
  tables: ['rm_products'],
  async apply (trx, event) {
    switch (event.type) {
      case 'ProductCreated':
        return await createProduct(trx, event)
      case 'ProductUpdated':
        return await updateProduct(trx, event)
      case 'StockAdjusted':
      case 'StockReserved':
      case 'StockReleased':
        return await setStock(trx, event)
    }
  }
}

export interface ListProductsOptions {
  readonly category?: string
  readonly vendorId?: string
  /** 1..100, default 20. */
  readonly limit?: number
  /** nextCursor of the previous page. */
  readonly after?: string
}

/** Products in the order they were created, a page at a time. */
export async function listProducts (
  db: Kysely<Database>,
  options: ListProductsOptions = {}
): Promise<Page<ProductView>> {
  const size = toPageSize(options.limit)
  let query = db.selectFrom('rm_products').selectAll()
    .orderBy('seq', 'asc')
    .limit(size + 1)
  if (options.category !== undefined) {
    query = query.where('category', '=', options.category)
  }
  if (options.vendorId !== undefined) {
    query = query.where('vendor_id', '=', options.vendorId)
  }
  if (options.after !== undefined) {
    query = query.where('seq', '>', decodeCursor(options.after))
  }

  return toPage(await query.execute(), size, toProductView)
}

export async function getProduct (
  db: Kysely<Database>,
  productId: string
): Promise<ProductView | undefined> {
  const row = await db.selectFrom('rm_products').selectAll()
    .where('product_id', '=', productId)
    .executeTakeFirst()

  return row === undefined ? undefined : toProductView(row)
}

async function createProduct (trx: Kysely<Database>, event: RecordedEvent) {
  const data = event.data as ProductCreated

  await trx.insertInto('rm_products')
    .values({
      product_id: data.productId,
      vendor_id: data.vendorId,
      sku: data.sku,
      title: data.title,
      description: data.description,
      category: data.category,
      brand: data.brand,
      price_cents: data.priceCents,
      stock: data.stock,
      created_at: event.metadata.occurredAt,
      updated_at: event.metadata.occurredAt,
      seq: event.position.toString()
    })
    .onConflict((oc) => oc.column('product_id').doNothing())
    .execute()
}

async function updateProduct (trx: Kysely<Database>, event: RecordedEvent) {
  const { productId, changes } = event.data as ProductUpdated

  await trx.updateTable('rm_products')
    .set({
      ...(changes.title === undefined ? {} : { title: changes.title }),
      ...(changes.description === undefined
        ? {}
        : { description: changes.description }),
      ...(changes.category === undefined ? {} : { category: changes.category }),
      ...(changes.priceCents === undefined
        ? {}
        : { price_cents: changes.priceCents }),
      updated_at: event.metadata.occurredAt
    })
    .where('product_id', '=', productId)
    .execute()
}

async function setStock (trx: Kysely<Database>, event: RecordedEvent) {
  const data = event.data as StockChange

  await trx.updateTable('rm_products')
    .set({ stock: data.stockAfter, updated_at: event.metadata.occurredAt })
    .where('product_id', '=', data.productId)
    .execute()
}

function toProductView (row: Selectable<ProductsReadTable>): ProductView {
  return {
    productId: row.product_id,
    vendorId: row.vendor_id,
    sku: row.sku,
    title: row.title,
    description: row.description,
    category: row.category,
    brand: row.brand,
    priceCents: Number(row.price_cents),
    stock: row.stock,
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at)
  }
}
