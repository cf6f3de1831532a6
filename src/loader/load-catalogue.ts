/**
 * Phase one: the sellers. Each vendor registers as anyone would, an admin
 * promotes it (PUT /api/admin/users/:id/role), then it signs in and lists
 * its products. Vendors work side by side, each listing its own products
 * one after another.
 */
import type { PlannedProduct, ProductBody, VendorPlan } from './map-catalogue.ts'
import {
  createStrongPassword,
  logIn,
  type ReplayContext
} from './replay-context.ts'
import { runConcurrently } from './run-concurrently.ts'

export interface LoadedProduct {
  readonly datasetId: number
  readonly productId: string
  readonly vendorId: string
  readonly body: ProductBody
}

export interface LoadedCatalogue {
  readonly vendors: number
  readonly products: readonly LoadedProduct[]
  /** Dataset product id → the API's productId. */
  readonly productIds: ReadonlyMap<number, string>
}

interface Created { readonly position: string }

export async function loadCatalogue (
  context: ReplayContext,
  plans: readonly VendorPlan[]
): Promise<LoadedCatalogue> {
  const total = plans.reduce((sum, plan) => sum + plan.products.length, 0)
  const phase = context.progress.startPhase('catalogue', total)
  const perVendor = await runConcurrently(plans, context.concurrency,
    (plan) => loadVendor(context, plan, () => phase.advance()))
  phase.finish()
  const products = perVendor.flat()

  return {
    vendors: plans.length,
    products,
    productIds: new Map(products.map((p) => [p.datasetId, p.productId]))
  }
}

async function loadVendor (
  context: ReplayContext,
  plan: VendorPlan,
  onProduct: () => void
): Promise<LoadedProduct[]> {
  const { api, adminToken } = context
  const password = createStrongPassword()
  const registered = await api.call<{ userId: string } & Created>(
    'POST', '/api/users/register', 201, {
      body: {
        email: plan.email,
        username: plan.username,
        password,
        firstName: plan.brand ?? 'House',
        lastName: 'Vendor',
        gdprConsent: true
      }
    })
  context.positions.note(registered.position)
  const promoted = await api.call<Created>('PUT',
    `/api/admin/users/${registered.userId}/role`, 200,
    { token: adminToken, body: { role: 'vendor' } })
  context.positions.note(promoted.position)

  const { token } = await logIn(api, plan.email, password)
  const loaded: LoadedProduct[] = []
  for (const product of plan.products) {
    loaded.push(await createProduct(context, token, registered.userId, product))
    onProduct()
  }

  return loaded
}

async function createProduct (
  context: ReplayContext,
  token: string,
  vendorId: string,
  product: PlannedProduct
): Promise<LoadedProduct> {
  const created = await context.api.call<{ productId: string } & Created>(
    'POST', '/api/products', 201, { token, body: product.body })
  context.positions.note(created.position)

  return {
    datasetId: product.datasetId,
    productId: created.productId,
    vendorId,
    body: product.body
  }
}
