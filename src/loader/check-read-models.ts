/**
 * After the replay, the read side must agree with what was sent: once the
 * projections have caught up, every customer's orders (the accepted one,
 * with the loader's own lines and total, or none) and every product's
 * stock (initial stock less the units in accepted orders). Only this run's
 * customers and products are looked at.
 */
import { setTimeout as sleep } from 'node:timers/promises'

import {
  compareCustomerOrders,
  compareProduct,
  unitsSoldByProduct,
  type OrderView,
  type ProductView
} from './compare-read-models.ts'
import { readProjections } from './event-log.ts'
import type { LoadedCatalogue } from './load-catalogue.ts'
import type { ReplayContext } from './replay-context.ts'
import type { ReplayedOrder } from './replay-orders.ts'
import { runConcurrently } from './run-concurrently.ts'

export interface CheckReport {
  readonly passed: number
  readonly failed: number
  readonly failures: readonly string[]
}

const CATCH_UP_TIMEOUT_MS = 120_000
const CATCH_UP_POLL_MS = 200
const ORDER_PAGE_SIZE = 100

export async function checkReadModels (
  context: ReplayContext,
  catalogue: LoadedCatalogue,
  orders: readonly ReplayedOrder[]
): Promise<CheckReport> {
  const outcomes: string[][] = [await checkCatchUp(context)]
  const phase = context.progress.startPhase('checks',
    orders.length + catalogue.products.length)
  const track = async (check: () => Promise<string[]>) => {
    const mismatches = await check()
    phase.advance()

    return mismatches
  }

  outcomes.push(...await runConcurrently(orders, context.concurrency,
    (order) => track(() => checkOrders(context, catalogue, order))))
  const sold = unitsSoldByProduct(orders, catalogue.productIds)
  outcomes.push(...await runConcurrently(catalogue.products,
    context.concurrency, (product) => track(async () => {
      const found = await context.api.call<ProductView>('GET',
        `/api/products/${product.productId}`, 200,
        { minPosition: context.positions.last })
      const expectedStock = product.body.stock -
        (sold.get(product.productId) ?? 0)

      return compareProduct(product, found, expectedStock)
    })))
  phase.finish()

  const failures = outcomes.flat()

  return {
    passed: outcomes.filter((o) => o.length === 0).length,
    failed: outcomes.filter((o) => o.length > 0).length,
    failures
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

async function checkOrders (
  context: ReplayContext,
  catalogue: LoadedCatalogue,
  order: ReplayedOrder
) {
  const found: OrderView[] = []
  let after: string | null | undefined
  do {
    const query = `customerId=${order.customerId}&limit=${ORDER_PAGE_SIZE}` +
      (after === undefined || after === null ? '' : `&after=${after}`)
    const page = await context.api.call<{
      items: OrderView[]
      nextCursor: string | null
    }>('GET', `/api/admin/orders?${query}`, 200, {
      token: context.adminToken,
      minPosition: context.positions.last
    })
    found.push(...page.items)
    after = page.nextCursor
  } while (after !== null)

  return compareCustomerOrders(order, found, catalogue.productIds)
}
