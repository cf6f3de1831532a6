/**
 * Events of the product aggregate (stream `product-<id>`). Money is integer
 * cents; stock events carry the stock after the change so read models never
 * have to recompute it.
 */
import Type, { type Static } from 'typebox'

export const ProductCreated = Type.Object({
  productId: Type.String(),
  vendorId: Type.String(),
  sku: Type.String(),
  title: Type.String(),
  description: Type.String(),
  category: Type.String(),
  brand: Type.Union([Type.String(), Type.Null()]),
  priceCents: Type.Integer({ minimum: 0 }),
  stock: Type.Integer({ minimum: 0 })
})
export type ProductCreated = Static<typeof ProductCreated>

export const ProductUpdated = Type.Object({
  productId: Type.String(),
  changes: Type.Object({
    title: Type.Optional(Type.String()),
    description: Type.Optional(Type.String()),
    category: Type.Optional(Type.String()),
    priceCents: Type.Optional(Type.Integer({ minimum: 0 }))
  })
})
export type ProductUpdated = Static<typeof ProductUpdated>

export const StockAdjusted = Type.Object({
  productId: Type.String(),
  delta: Type.Integer(),
  reason: Type.String(),
  stockAfter: Type.Integer({ minimum: 0 })
})
export type StockAdjusted = Static<typeof StockAdjusted>

/** Stock held for an order; released again if the order fails or is
 * cancelled. */
export const StockReserved = Type.Object({
  productId: Type.String(),
  orderId: Type.String(),
  quantity: Type.Integer({ minimum: 1 }),
  stockAfter: Type.Integer({ minimum: 0 })
})
export type StockReserved = Static<typeof StockReserved>

export const StockReleased = Type.Object({
  productId: Type.String(),
  orderId: Type.String(),
  quantity: Type.Integer({ minimum: 1 }),
  stockAfter: Type.Integer({ minimum: 0 })
})
export type StockReleased = Static<typeof StockReleased>

export type ProductEvent =
  | { type: 'ProductCreated', data: ProductCreated }
  | { type: 'ProductUpdated', data: ProductUpdated }
  | { type: 'StockAdjusted', data: StockAdjusted }
  | { type: 'StockReserved', data: StockReserved }
  | { type: 'StockReleased', data: StockReleased }

export const productStream = (productId: string) => `product-${productId}`
