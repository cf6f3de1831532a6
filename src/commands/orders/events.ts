/**
 * Events of the order aggregate (stream `order-<id>`). Orders are kept for
 * seven years (tax law), so erasure leaves them in place: the shipping
 * address is personal data under the customer's key and becomes null once
 * that key is shredded, while lines and totals stay.
 */
import Type, { type Static } from 'typebox'

import { Address } from '../users/events.ts'

export const OrderLine = Type.Object({
  productId: Type.String(),
  vendorId: Type.String(),
  title: Type.String(),
  unitPriceCents: Type.Integer({ minimum: 0 }),
  quantity: Type.Integer({ minimum: 1 }),
  lineTotalCents: Type.Integer({ minimum: 0 })
})
export type OrderLine = Static<typeof OrderLine>

export const OrderPlaced = Type.Object({
  orderId: Type.String(),
  customerId: Type.String(),
  lines: Type.Array(OrderLine),
  totalCents: Type.Integer({ minimum: 0 }),
  shippingAddress: Type.Union([Address, Type.Null()]),
  placedAt: Type.String({ format: 'date-time' })
})
export type OrderPlaced = Static<typeof OrderPlaced>

export const OrderCancelled = Type.Object({
  orderId: Type.String(),
  customerId: Type.String(),
  reason: Type.String(),
  cancelledAt: Type.String({ format: 'date-time' })
})
export type OrderCancelled = Static<typeof OrderCancelled>

export type OrderEvent =
  | { type: 'OrderPlaced', data: OrderPlaced }
  | { type: 'OrderCancelled', data: OrderCancelled }

export const orderStream = (orderId: string) => `order-${orderId}`
