/**
 * After the replay, the read side must agree with what was sent, once the
 * projections have caught up:
 *
 * - every cart: the API's answer fitted the loader's stock ledger, and an
 *   accepted order is in the read model, found by its order id, with the
 *   loader's own lines and total;
 * - every customer: no order that none of their accepted carts placed;
 * - every product, as the public catalogue lists it: the stock the ledger
 *   expects, and the price, SKU and vendor it was created with.
 *
 * Only this run's customers and products are looked at. The stock the
 * catalogue lists is also what the summary reports as remaining.
 */
import { setTimeout as sleep } from 'node:timers/promises'

import {
  compareCartOrder,
  compareProduct,
  findUnclaimedOrders,
  type ProductView
} from './compare-read-models.ts'
import { readProjections } from './event-log.ts'
import type { LoadedCatalogue } from './load-catalogue.ts'
import type { PhaseProgress } from './progress.ts'
import { listCustomerOrders, listVendorProducts } from './read-side.ts'
import type { ReplayContext } from './replay-context.ts'
import type { ReplayedOrder } from './replay-orders.ts'
import { runConcurrently } from './run-concurrently.ts'
import type { StockLedger } from './stock-ledger.ts'

export interface CheckReport {
  readonly passed: number
  readonly failed: number
  readonly failures: readonly string[]
}

export interface ReadModelCheck {
  readonly checks: CheckReport
  /** This run's products' stock, summed as the catalogue lists it. */
  readonly remainingStock: number
}

const CATCH_UP_TIMEOUT_MS = 120_000
const CATCH_UP_POLL_MS = 200

export async function checkReadModels (
  context: ReplayContext,
  catalogue: LoadedCatalogue,
  orders: readonly ReplayedOrder[],
  ledger: StockLedger
): Promise<ReadModelCheck> {
  const outcomes: string[][] = [await checkCatchUp(context)]
  const customers = groupByCustomer(orders)
  const phase = context.progress.startPhase('checks',
    orders.length + customers.size + catalogue.products.length)

  outcomes.push(...await checkCustomers(context, catalogue, customers, phase))
  const listed = await listProducts(context, catalogue)
  outcomes.push(...catalogue.products.map((product) => {
    phase.advance()

    return compareProduct(product, listed.get(product.productId),
      ledger.expectedStock(product.datasetId))
  }))
  phase.finish()

  return {
    checks: toReport(outcomes),
    remainingStock: catalogue.products.reduce((sum, product) =>
      sum + (listed.get(product.productId)?.stock ?? 0), 0)
  }
}

/** Polls until every projection has reached the head (lag 0). */
async function checkCatchUp (context: ReplayContext): Promise<string[]> {
  const deadline = Date.now() + CATCH_UP_TIMEOUT_MS
  for (;;) {
    const { projections } = await readProjections(context.api,
      context.adminToken)
    const lagging = projections.filter((p) => BigInt(p.lag) > 0n)
    if (lagging.length === 0) return []
    if (Date.now() > deadline) {
      return [`projections still behind after ${CATCH_UP_TIMEOUT_MS} ms: ` +
        lagging.map((p) => `${p.name} lag ${p.lag}`).join(', ')]
    }
    await sleep(CATCH_UP_POLL_MS)
  }
}

/** One outcome per cart, then one per customer. */
async function checkCustomers (
  context: ReplayContext,
  catalogue: LoadedCatalogue,
  customers: ReadonlyMap<string, readonly ReplayedOrder[]>,
  phase: PhaseProgress
): Promise<string[][]> {
  const perCustomer = await runConcurrently([...customers],
    context.concurrency, async ([customerId, carts]) => {
      const found = await listCustomerOrders(context, customerId)
      phase.advance(carts.length + 1)

      return [
        ...carts.map((cart) =>
          compareCartOrder(cart, found, catalogue.productIds)),
        findUnclaimedOrders(customerId, carts, found)
      ]
    })

  return perCustomer.flat()
}

/** Every product of this run's vendors, as the catalogue lists them. */
async function listProducts (
  context: ReplayContext,
  catalogue: LoadedCatalogue
): Promise<Map<string, ProductView>> {
  const vendorIds = [...new Set(catalogue.products.map((p) => p.vendorId))]
  const perVendor = await runConcurrently(vendorIds, context.concurrency,
    (vendorId) => listVendorProducts(context, vendorId))

  return new Map(perVendor.flatMap((products) => [...products]))
}

function groupByCustomer (orders: readonly ReplayedOrder[]) {
  const customers = new Map<string, ReplayedOrder[]>()
  for (const order of orders) {
    const carts = customers.get(order.customerId) ?? []
    carts.push(order)
    customers.set(order.customerId, carts)
  }

  return customers
}

function toReport (outcomes: readonly string[][]): CheckReport {
  return {
    passed: outcomes.filter((o) => o.length === 0).length,
    failed: outcomes.filter((o) => o.length > 0).length,
    failures: outcomes.flat()
  }
}
