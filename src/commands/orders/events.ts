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

/**
 * An order that was never recorded and never will be: its saga stopped
 * after reserving stock (a crash, or a writer stalled past the grace
 * period), and the reconciler gave it up so its stock can go back. Being
 * the order stream's first event, it makes a late OrderPlaced impossible.
 */
export const OrderAbandoned = Type.Object({
  orderId: Type.String(),
  reason: Type.String(),
  abandonedAt: Type.String({ format: 'date-time' })
})
export type OrderAbandoned = Static<typeof OrderAbandoned>

export type OrderEvent =
  | { type: 'OrderPlaced', data: OrderPlaced }
  | { type: 'OrderCancelled', data: OrderCancelled }
  | { type: 'OrderAbandoned', data: OrderAbandoned }

export const orderStream = (orderId: string) => `order-${orderId}`
