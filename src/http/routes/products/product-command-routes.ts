/**
 * Catalogue changes: vendors list and change their own products, admins
 * any product. A vendor who names another vendor's product gets 404, as if
 * it did not exist.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'

import {
  adjustStock,
  updateProduct
} from '../../../commands/products/change-product.ts'
import { createProduct } from '../../../commands/products/create-product.ts'
import { SELLERS } from '../../auth/roles.ts'
import { contextOf } from '../../request-context.ts'
import { errorResponses, IdParams } from '../../schemas/common.ts'
import {
  AdjustStockBody,
  CreateProductBody,
  ProductCommandReply,
  StockReply,
  UpdateProductBody
} from '../../schemas/product-schemas.ts'

const editorOf = (request: FastifyRequest) => ({
  userId: request.user.userId,
  isAdmin: request.user.role === 'admin'
})

export const productCommandRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const guard = [app.authenticate, app.authorize(SELLERS)]
  const security = [{ bearerAuth: [] }]

  app.post('/api/products', {
    onRequest: guard,
    schema: {
      tags: ['products'],
      summary: 'List a new product (vendor or admin)',
      security,
      body: CreateProductBody,
      response: { 201: ProductCommandReply, ...errorResponses }
    }
  }, async (request, reply) => {
    const result = await createProduct(app.deps.services, contextOf(request),
      request.user.userId, request.body)

    return reply.code(201).send({ ...result,
      position: result.position.toString() })
  })

  app.patch('/api/products/:id', {
    onRequest: guard,
    schema: {
      tags: ['products'],
      summary: 'Change a product\'s details or price',
      security,
      params: IdParams,
      body: UpdateProductBody,
      response: { 200: ProductCommandReply, ...errorResponses }
    }
  }, async (request) => {
    const result = await updateProduct(app.deps.services, contextOf(request),
      editorOf(request), request.params.id, request.body)

    return { ...result, position: result.position.toString() }
  })

  app.post('/api/products/:id/stock', {
    onRequest: guard,
    schema: {
      tags: ['products'],
      summary: 'Adjust a product\'s stock by a signed delta',
      security,
      params: IdParams,
      body: AdjustStockBody,
      response: { 200: StockReply, ...errorResponses }
    }
  }, async (request) => {
    const result = await adjustStock(app.deps.services, contextOf(request),
      editorOf(request), request.params.id, request.body.delta,
      request.body.reason)

    return { ...result, position: result.position.toString() }
  })
}
