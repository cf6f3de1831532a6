/**
 * Pure comparisons between what the loader sent and what the read models
 * show. Each returns the mismatches it found, in words; none means the
 * check passed.
 */
import type { LoadedProduct } from './load-catalogue.ts'
import type { ReplayedOrder } from './replay-orders.ts'

export interface OrderView {
  readonly orderId: string
  readonly customerId: string
  readonly status: string
  readonly totalCents: number
  readonly lines: readonly {
    readonly productId: string
    readonly unitPriceCents: number
    readonly quantity: number
    readonly lineTotalCents: number
  }[]
}

export interface ProductView {
  readonly productId: string
  readonly vendorId: string
  readonly sku: string
  readonly priceCents: number
  readonly stock: number
}

/** A customer's orders against the one cart they replayed: exactly the
 * accepted order with the loader's own lines and total, or none at all. */
export function compareCustomerOrders (
  replayed: ReplayedOrder,
  found: readonly OrderView[],
  productIds: ReadonlyMap<number, string>
): string[] {
  const label = `cart ${replayed.cartId}`
  if (replayed.accepted === undefined) {
    return found.length === 0
      ? []
      : [`${label}: refused, yet ${found.length} order(s) exist`]
  }
  if (found.length !== 1) {
    return [`${label}: expected 1 order, found ${found.length}`]
  }

  const order = found[0]!
  const mismatches = [
    differs('orderId', order.orderId, replayed.accepted.orderId),
    differs('status', order.status, 'placed'),
    differs('totalCents', order.totalCents, replayed.expectedTotalCents),
    differs('totalCents in the reply', replayed.accepted.totalCents,
      replayed.expectedTotalCents),
    differs('line count', order.lines.length, replayed.lines.length),
    ...replayed.lines.flatMap((line) => {
      const productId = productIds.get(line.datasetProductId)
      const seen = order.lines.find((l) => l.productId === productId)
      if (seen === undefined) return [`no line for product ${productId}`]

      return [
        differs(`quantity of ${productId}`, seen.quantity, line.quantity),
        differs(`unitPriceCents of ${productId}`, seen.unitPriceCents,
          line.unitPriceCents),
        differs(`lineTotalCents of ${productId}`, seen.lineTotalCents,
          line.lineTotalCents)
      ]
    })
  ].filter((m) => m !== undefined)

  return mismatches.map((m) => `${label} (order ${order.orderId}): ${m}`)
}

export function compareProduct (
  product: LoadedProduct,
  found: ProductView,
  expectedStock: number
): string[] {
  const label = `product ${product.datasetId} (${found.productId})`

  return [
    differs('stock', found.stock, expectedStock),
    differs('priceCents', found.priceCents, product.body.priceCents),
    differs('sku', found.sku, product.body.sku),
    differs('vendorId', found.vendorId, product.vendorId)
  ].filter((m) => m !== undefined).map((m) => `${label}: ${m}`)
}

/** Units each product sold in accepted orders, by API productId. */
export function unitsSoldByProduct (
  orders: readonly ReplayedOrder[],
  productIds: ReadonlyMap<number, string>
): Map<string, number> {
  const sold = new Map<string, number>()
  for (const order of orders) {
    if (order.accepted === undefined) continue
    for (const line of order.lines) {
      const productId = productIds.get(line.datasetProductId)
      if (productId === undefined) continue
      sold.set(productId, (sold.get(productId) ?? 0) + line.quantity)
    }
  }

  return sold
}

function differs (what: string, actual: unknown, expected: unknown) {
  return actual === expected
    ? undefined
    : `${what} is ${String(actual)}, expected ${String(expected)}`
}
