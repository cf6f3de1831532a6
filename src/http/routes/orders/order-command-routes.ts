/**
 * Shoppers place orders and cancel their own; admins may cancel any. An
 * order that cannot be filled in full is refused whole (409) and reserves
 * nothing.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'

import { cancelOrder } from '../../../commands/orders/cancel-order.ts'
import { placeOrder } from '../../../commands/orders/place-order.ts'
import { SHOPPERS } from '../../auth/roles.ts'
import { contextOf } from '../../request-context.ts'
import { errorResponses, IdParams } from '../../schemas/common.ts'
import {
  CancelOrderBody,
  CancelOrderReply,
  PlaceOrderBody,
  PlaceOrderReply
} from '../../schemas/order-schemas.ts'

export const orderCommandRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const guard = [app.authenticate, app.authorize(SHOPPERS)]
  const security = [{ bearerAuth: [] }]

  app.post('/api/orders', {
    onRequest: guard,
    schema: {
      tags: ['orders'],
      summary: 'Place an order: every line is filled, or none is',
      security,
      body: PlaceOrderBody,
      response: { 201: PlaceOrderReply, ...errorResponses }
    }
  }, async (request, reply) => {
    const result = await placeOrder(app.deps.services, contextOf(request),
      request.user.userId, request.body)

    return reply.code(201).send({ ...result,
      position: result.position.toString() })
  })

  app.post('/api/orders/:id/cancel', {
    onRequest: guard,
    // The reason is optional, so the body is too: a bare POST cancels.
    preValidation: async (request) => {
      if (request.body === undefined) request.body = {}
    },
    schema: {
      tags: ['orders'],
      summary: 'Cancel an order; its stock goes back on sale',
      security,
      params: IdParams,
      body: CancelOrderBody,
      response: { 200: CancelOrderReply, ...errorResponses }
    }
  }, async (request) => {
    const canceller = {
      userId: request.user.userId,
      isAdmin: request.user.role === 'admin'
    }
    const result = await cancelOrder(app.deps.services, contextOf(request),
      canceller, request.params.id,
      request.body.reason ?? 'cancelled by customer')

    return { ...result, position: result.position.toString() }
  })
}
