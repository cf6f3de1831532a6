/** Every route of the API, by resource. */
import type { FastifyInstance } from 'fastify'

import { adminQueryRoutes } from './admin/admin-query-routes.ts'
import { apiKeyRoutes } from './admin/api-key-routes.ts'
import { projectionRoute } from './admin/projection-route.ts'
import { roleRoute } from './admin/role-route.ts'
import { auditRoutes } from './audit/audit-routes.ts'
import { healthRoutes } from './health/health-routes.ts'
import { orderCommandRoutes } from './orders/order-command-routes.ts'
import { orderQueryRoutes } from './orders/order-query-routes.ts'
import { productCommandRoutes } from './products/product-command-routes.ts'
import { productQueryRoutes } from './products/product-query-routes.ts'
import { loginRoute } from './users/login-route.ts'
import { meRoutes } from './users/me-routes.ts'
import { profileRoute } from './users/profile-route.ts'
import { passwordRoute } from './users/password-route.ts'
import { registerRoute } from './users/register-route.ts'
import { twoFactorRoutes } from './users/two-factor-routes.ts'
import { vendorOrderRoutes } from './vendor/vendor-order-routes.ts'
import { webhookRoutes } from './webhooks/webhook-routes.ts'

export async function registerRoutes (app: FastifyInstance) {
  await app.register(healthRoutes)
  await app.register(registerRoute)
  await app.register(loginRoute)
  await app.register(meRoutes)
  await app.register(profileRoute)
  await app.register(twoFactorRoutes)
  await app.register(passwordRoute)
  await app.register(roleRoute)
  await app.register(productCommandRoutes)
  await app.register(orderCommandRoutes)
  await app.register(productQueryRoutes)
  await app.register(orderQueryRoutes)
  await app.register(adminQueryRoutes)
  await app.register(projectionRoute)
  await app.register(auditRoutes)
  await app.register(apiKeyRoutes)
  await app.register(webhookRoutes)
  await app.register(vendorOrderRoutes)
}
