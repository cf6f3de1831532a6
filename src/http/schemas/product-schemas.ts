import Type from 'typebox'

import { LongText, PageQuery, Position, Text, Uuid } from './common.ts'

const MAX_PRICE_CENTS = 100_000_000_00
const MAX_STOCK = 1_000_000

const Cents = Type.Integer({ minimum: 0, maximum: MAX_PRICE_CENTS })
const Category = Type.String({ minLength: 1, maxLength: 60,
  pattern: '^[a-z0-9][a-z0-9-]*$' })

export const CreateProductBody = Type.Object({
  sku: Type.String({ minLength: 1, maxLength: 64,
    pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' }),
  title: Text(200),
  description: LongText(2000),
  category: Category,
  brand: Type.Optional(Type.Union([Text(100), Type.Null()])),
  priceCents: Cents,
  stock: Type.Integer({ minimum: 0, maximum: MAX_STOCK })
}, { additionalProperties: false })

export const UpdateProductBody = Type.Object({
  title: Type.Optional(Text(200)),
  description: Type.Optional(LongText(2000)),
  category: Type.Optional(Category),
  priceCents: Type.Optional(Cents)
}, { additionalProperties: false, minProperties: 1 })

export const AdjustStockBody = Type.Object({
  delta: Type.Integer({ minimum: -MAX_STOCK, maximum: MAX_STOCK }),
  reason: Text(200)
}, { additionalProperties: false })

export const ProductCommandReply = Type.Object({
  productId: Uuid,
  position: Position
})

export const StockReply = Type.Object({
  productId: Uuid,
  stock: Type.Integer(),
  position: Position
})

export const Product = Type.Object({
  productId: Uuid,
  vendorId: Uuid,
  sku: Type.String(),
  title: Type.String(),
  description: Type.String(),
  category: Type.String(),
  brand: Type.Union([Type.String(), Type.Null()]),
  priceCents: Type.Integer(),
  stock: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String()
})

export const ProductQuery = Type.Object({
  category: Type.Optional(Category),
  vendorId: Type.Optional(Uuid),
  ...PageQuery
}, { additionalProperties: false })

export const ProductPage = Type.Object({
  items: Type.Array(Product),
  nextCursor: Type.Union([Type.String(), Type.Null()])
})
