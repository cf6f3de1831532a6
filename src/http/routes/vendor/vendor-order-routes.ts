/**
 * A vendor's view of the orders that contain their products: only their
 * own lines and their share of the total, and nothing of the customer (no
 * customer id, no shipping address). Other vendors' lines in the same order
 * stay hidden. Admins, who may do all a vendor does, see their own sales
 * here too.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'

import { listOrders, type OrderView } from '../../../projections/orders.ts'
import { SELLERS } from '../../auth/roles.ts'
import { awaitReadModels, readPage } from '../../read-models.ts'
import { errorResponses, Uuid } from '../../schemas/common.ts'
import { OrderLine, OrderQuery } from '../../schemas/order-schemas.ts'

const VendorOrder = Type.Object({
  orderId: Uuid,
  status: Type.String(),
  lines: Type.Array(OrderLine),
  vendorTotalCents: Type.Integer(),
  placedAt: Type.String(),
  cancelledAt: Type.Union([Type.String(), Type.Null()])
})

const VendorOrderPage = Type.Object({
  items: Type.Array(VendorOrder),
  nextCursor: Type.Union([Type.String(), Type.Null()])
})

export const vendorOrderRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps.services

  app.get('/api/vendor/orders', {
    onRequest: [app.authenticate, app.authorize(SELLERS)],
    schema: {
      tags: ['orders'],
      summary: 'Orders with your products: your lines only, no customer data',
      security: [{ bearerAuth: [] }],
      querystring: OrderQuery,
      response: { 200: VendorOrderPage, ...errorResponses }
    }
  }, async (request, reply) => {
    await awaitReadModels(app, request, reply, ['orders'])
    const vendorId = request.user.userId
    const page = await readPage(() => listOrders(db,
      { ...request.query, vendorId }))

    return {
      items: page.items.map((order) => toVendorOrder(order, vendorId)),
      nextCursor: page.nextCursor
    }
  })
}

function toVendorOrder (order: OrderView, vendorId: string) {
  const lines = order.lines.filter((line) => line.vendorId === vendorId)

  return {
    orderId: order.orderId,
    status: order.status,
    lines,
    vendorTotalCents: lines.reduce((sum, line) => sum + line.lineTotalCents, 0),
    placedAt: order.placedAt,
    cancelledAt: order.cancelledAt
  }
}
