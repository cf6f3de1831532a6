/**
 * Routes for integrations, authenticated by API key only (a bearer token
 * here is refused, and API keys are not looked at anywhere else). Each route
 * needs one scope. Orders are placed and read for the customer account the
 * key was bound to when an admin created it: the body never names a
 * customer, so a leaked key can order only as that one account.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'

import { assertLinkedCustomer } from '../../../commands/api-keys/linked-customer.ts'
import { notFound } from '../../../commands/command-errors.ts'
import { placeOrder } from '../../../commands/orders/place-order.ts'
import { listOrders } from '../../../projections/orders.ts'
import { getProduct, listProducts } from '../../../projections/products.ts'
import { contextOf } from '../../request-context.ts'
import { awaitReadModels, readPage } from '../../read-models.ts'
import { errorResponses, IdParams, Problem } from '../../schemas/common.ts'
import {
  OrderPage,
  OrderQuery,
  PlaceOrderBody,
  PlaceOrderReply
} from '../../schemas/order-schemas.ts'
import {
  Product,
  ProductPage,
  ProductQuery
} from '../../schemas/product-schemas.ts'

const security = [{ apiKeyAuth: [] }]
const webhookErrors = { ...errorResponses, 429: Problem }

export const webhookRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { services } = app.deps
  const { db } = services
  const withScope = (scope: Parameters<typeof app.requireScope>[0]) =>
    [app.authenticateApiKey, app.requireScope(scope)]

  app.get('/api/webhooks/products', {
    onRequest: withScope('read:products'),
    schema: {
      tags: ['webhooks'],
      summary: 'The catalogue, for integrations (scope read:products)',
      security,
      querystring: ProductQuery,
      response: { 200: ProductPage, ...webhookErrors }
    }
  }, async (request, reply) => {
    await awaitReadModels(app, request, reply, ['products'])

    return readPage(() => listProducts(db, request.query))
  })

  app.get('/api/webhooks/products/:id', {
    onRequest: withScope('read:products'),
    schema: {
      tags: ['webhooks'],
      summary: 'One product with its stock (scope read:products)',
      security,
      params: IdParams,
      response: { 200: Product, ...webhookErrors }
    }
  }, async (request, reply) => {
    await awaitReadModels(app, request, reply, ['products'])
    const product = await getProduct(db, request.params.id)
    if (product === undefined) {
      throw notFound('CR_ERR_PRODUCT_NOT_FOUND', 'no such product')
    }

    return product
  })

  app.post('/api/webhooks/orders', {
    onRequest: withScope('write:orders'),
    schema: {
      tags: ['webhooks'],
      summary: 'Place an order for the key\'s customer (scope write:orders)',
      security,
      body: PlaceOrderBody,
      response: { 201: PlaceOrderReply, ...webhookErrors }
    }
  }, async (request, reply) => {
    const customerId = await assertLinkedCustomer(services,
      linkedCustomerOf(request))
    const result = await placeOrder(services, contextOf(request), customerId,
      request.body)

    return reply.code(201).send({ ...result,
      position: result.position.toString() })
  })

  app.get('/api/webhooks/orders', {
    onRequest: withScope('read:orders'),
    schema: {
      tags: ['webhooks'],
      summary: 'Orders of the key\'s customer, newest first (read:orders)',
      security,
      querystring: OrderQuery,
      response: { 200: OrderPage, ...webhookErrors }
    }
  }, async (request, reply) => {
    const customerId = await assertLinkedCustomer(services,
      linkedCustomerOf(request))
    await awaitReadModels(app, request, reply, ['orders'])

    return readPage(() => listOrders(db, { ...request.query, customerId }))
  })
}

function linkedCustomerOf (request: FastifyRequest) {
  return request.apiKey?.customerId ?? null
}
