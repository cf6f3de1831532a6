import Type from 'typebox'

import { PageQuery, Position, Text, Uuid } from './common.ts'
import { AddressBody } from './user-schemas.ts'

export const MAX_ORDER_LINES = 50

export const PlaceOrderBody = Type.Object({
  lines: Type.Array(Type.Object({
    productId: Uuid,
    quantity: Type.Integer({ minimum: 1, maximum: 1000 })
  }, { additionalProperties: false }),
  { minItems: 1, maxItems: MAX_ORDER_LINES }),
  shippingAddress: Type.Optional(Type.Union([AddressBody, Type.Null()]))
}, { additionalProperties: false })

export const CancelOrderBody = Type.Object({
  reason: Type.Optional(Text(200))
}, { additionalProperties: false })

export const OrderLine = Type.Object({
  productId: Uuid,
  vendorId: Uuid,
  title: Type.String(),
  unitPriceCents: Type.Integer(),
  quantity: Type.Integer(),
  lineTotalCents: Type.Integer()
})

export const PlaceOrderReply = Type.Object({
  orderId: Uuid,
  status: Type.Literal('placed'),
  totalCents: Type.Integer(),
  lines: Type.Array(OrderLine),
  position: Position
})

export const CancelOrderReply = Type.Object({
  orderId: Uuid,
  status: Type.Literal('cancelled'),
  position: Position
})

export const Order = Type.Object({
  orderId: Uuid,
  customerId: Uuid,
  status: Type.String(),
  lines: Type.Array(OrderLine),
  totalCents: Type.Integer(),
  placedAt: Type.String(),
  cancelledAt: Type.Union([Type.String(), Type.Null()])
})

export const OrderQuery = Type.Object({ ...PageQuery },
  { additionalProperties: false })

export const AdminOrderQuery = Type.Object({
  customerId: Type.Optional(Uuid),
  productId: Type.Optional(Uuid),
  status: Type.Optional(Type.Union([Type.Literal('placed'),
    Type.Literal('cancelled')])),
  ...PageQuery
}, { additionalProperties: false })

export const OrderPage = Type.Object({
  items: Type.Array(Order),
  nextCursor: Type.Union([Type.String(), Type.Null()])
})
