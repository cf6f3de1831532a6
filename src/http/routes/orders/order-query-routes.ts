/**
 * A shopper's own orders. Someone else's order answers 404, exactly as a
 * missing one does, so order ids cannot be probed.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'

import { denyingAccess, notFound } from '../../../commands/command-errors.ts'
import { getOrder, listOrders } from '../../../projections/orders.ts'
import { SHOPPERS } from '../../auth/roles.ts'
import { awaitReadModels, readPage } from '../../read-models.ts'
import { errorResponses, IdParams } from '../../schemas/common.ts'
import { Order, OrderPage, OrderQuery } from '../../schemas/order-schemas.ts'

const PROJECTIONS = ['orders']

export const orderQueryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps.services
  const guard = [app.authenticate, app.authorize(SHOPPERS)]
  const security = [{ bearerAuth: [] }]

  app.get('/api/orders', {
    onRequest: guard,
    schema: {
      tags: ['orders'],
      summary: 'Your orders, newest first',
      security,
      querystring: OrderQuery,
      response: { 200: OrderPage, ...errorResponses }
    }
  }, async (request, reply) => {
    await awaitReadModels(app, request, reply, PROJECTIONS)

    return readPage(() => listOrders(db, {
      ...request.query,
      customerId: request.user.userId
    }))
  })

  app.get('/api/orders/:id', {
    onRequest: guard,
    schema: {
      tags: ['orders'],
      summary: 'One of your orders',
      security,
      params: IdParams,
      response: { 200: Order, ...errorResponses }
    }
  }, async (request, reply) => {
    await awaitReadModels(app, request, reply, PROJECTIONS)
    const order = await getOrder(db, request.params.id)
    if (order === undefined) {
      throw notFound('CR_ERR_ORDER_NOT_FOUND', 'no such order')
    }
    if (order.customerId !== request.user.userId &&
      request.user.role !== 'admin') {
      // The same 404 as a missing order, so ids cannot be probed.
      throw denyingAccess(notFound('CR_ERR_ORDER_NOT_FOUND', 'no such order'))
    }

    return order
  })
}
