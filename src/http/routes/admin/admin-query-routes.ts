/** Admin views over the read models: every user and every order. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'

import { listOrders } from '../../../projections/orders.ts'
import { listUsers } from '../../../projections/users.ts'
import { ADMINS } from '../../auth/roles.ts'
import { awaitReadModels, readPage } from '../../read-models.ts'
import { errorResponses, PageQuery, Uuid } from '../../schemas/common.ts'
import { AdminOrderQuery, OrderPage } from '../../schemas/order-schemas.ts'
import { AddressBody, RoleBody } from '../../schemas/user-schemas.ts'

const Nullable = <T extends Type.TSchema>(schema: T) =>
  Type.Union([schema, Type.Null()])

const AdminUser = Type.Object({
  userId: Uuid,
  role: Type.String(),
  email: Nullable(Type.String()),
  username: Nullable(Type.String()),
  firstName: Nullable(Type.String()),
  lastName: Nullable(Type.String()),
  address: Nullable(AddressBody),
  erased: Type.Boolean(),
  registeredAt: Type.String(),
  erasedAt: Nullable(Type.String())
})

const UserQuery = Type.Object({
  role: Type.Optional(RoleBody.properties.role),
  ...PageQuery
}, { additionalProperties: false })

const UserPage = Type.Object({
  items: Type.Array(AdminUser),
  nextCursor: Nullable(Type.String())
})

export const adminQueryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps.services
  const guard = [app.authenticate, app.authorize(ADMINS)]
  const security = [{ bearerAuth: [] }]

  app.get('/api/admin/users', {
    onRequest: guard,
    schema: {
      tags: ['admin'],
      summary: 'All users (erased ones anonymised), in registration order',
      security,
      querystring: UserQuery,
      response: { 200: UserPage, ...errorResponses }
    }
  }, async (request, reply) => {
    await awaitReadModels(app, request, reply, ['users'])

    return readPage(() => listUsers(db, request.query))
  })

  app.get('/api/admin/orders', {
    onRequest: guard,
    schema: {
      tags: ['admin'],
      summary: 'All orders, filtered by customer, product or status',
      security,
      querystring: AdminOrderQuery,
      response: { 200: OrderPage, ...errorResponses }
    }
  }, async (request, reply) => {
    await awaitReadModels(app, request, reply, ['orders'])

    return readPage(() => listOrders(db, request.query))
  })
}
