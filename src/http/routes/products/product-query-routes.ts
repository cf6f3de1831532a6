/** The public catalogue, read from the products read model. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'

import { notFound } from '../../../commands/command-errors.ts'
import { getProduct, listProducts } from '../../../projections/products.ts'
import { awaitReadModels, readPage } from '../../read-models.ts'
import { errorResponses, IdParams } from '../../schemas/common.ts'
import {
  Product,
  ProductPage,
  ProductQuery
} from '../../schemas/product-schemas.ts'

const PROJECTIONS = ['products']

export const productQueryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps.services

  app.get('/api/products', {
    schema: {
      tags: ['products'],
      summary: 'Browse the catalogue, a page at a time',
      querystring: ProductQuery,
      response: { 200: ProductPage, ...errorResponses }
    }
  }, async (request, reply) => {
    await awaitReadModels(app, request, reply, PROJECTIONS)

    return readPage(() => listProducts(db, request.query))
  })

  app.get('/api/products/:id', {
    schema: {
      tags: ['products'],
      summary: 'One product with its current stock',
      params: IdParams,
      response: { 200: Product, ...errorResponses }
    }
  }, async (request, reply) => {
    await awaitReadModels(app, request, reply, PROJECTIONS)
    const product = await getProduct(db, request.params.id)
    if (product === undefined) {
      throw notFound('CR_ERR_PRODUCT_NOT_FOUND', 'no such product')
    }

    return product
  })
}
