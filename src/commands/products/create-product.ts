/**
 * A vendor (or an admin, on a vendor's behalf) lists a product. The SKU is
 * unique across the shop: it is reserved in product_skus before the event
 * is appended and freed again if the append fails.
 */
import { randomUUID } from 'node:crypto'

import type { CommandContext, CommandServices } from '../command-context.ts'
import { conflict } from '../command-errors.ts'
import { handleCommand } from '../handle-command.ts'
import { productStream } from './events.ts'
import { decideCreate, evolveProduct, initialProductState } from './product-decider.ts'

export interface ProductInput {
  readonly sku: string
  readonly title: string
  readonly description: string
  readonly category: string
  readonly brand?: string | null
  readonly priceCents: number
  readonly stock: number
}

export const skuKey = (sku: string) => sku.trim().toUpperCase()

export async function createProduct (
  services: CommandServices,
  context: CommandContext,
  vendorId: string,
  input: ProductInput
) {
  const productId = randomUUID()
  const reserved = await services.db.insertInto('product_skus')
    .values({ sku_key: skuKey(input.sku), product_id: productId })
    .onConflict((c) => c.column('sku_key').doNothing())
    .returning('product_id')
    .executeTakeFirst()
  if (reserved === undefined) {
    throw conflict('CR_ERR_PRODUCT_SKU_TAKEN', 'this SKU is already listed',
      'body.sku')
  }

  try {
    const outcome = await handleCommand(services, context, {
      stream: productStream(productId),
      initialState: initialProductState,
      evolve: evolveProduct,
      attempts: 1,
      decide: (state) => decideCreate(state, {
        productId,
        vendorId,
        sku: input.sku.trim(),
        title: input.title,
        description: input.description,
        category: input.category,
        brand: input.brand ?? null,
        priceCents: input.priceCents,
        stock: input.stock
      })
    })

    return { productId, position: outcome.position }
  } catch (error) {
    await services.db.deleteFrom('product_skus')
      .where('product_id', '=', productId).execute()
    throw error
  }
}
