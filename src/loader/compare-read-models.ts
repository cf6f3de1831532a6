/**
 * Pure comparisons between what the loader sent (and what its stock ledger
 * expected) and what the API answered and its read models show. Each
 * returns the mismatches it found, in words; none means the check passed.
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

/** The refusal a shop gives an order its stock cannot fill. */
export const INSUFFICIENT_STOCK_CODE = 'CR_ERR_ORDER_INSUFFICIENT_STOCK'

/**
 * The API's answer to a cart against the loader's stock ledger: accepted
 * only if every line fitted what was expected to be left, refused for
 * stock only if at least one line did not.
 */
export function compareOrderAnswer (replayed: ReplayedOrder): string[] {
  const label = `cart ${replayed.cartId}`
  const short = replayed.shortfalls.map((s) => `product ` +
    `${s.datasetProductId} (${s.ordered} ordered, ${s.expectedLeft} expected ` +
    'left)').join(', ')
  if (replayed.accepted !== undefined) {
    return short === ''
      ? []
      : [`${label}: accepted, yet the stock could not fill it: ${short}`]
  }

  return [
    short === ''
      ? `${label}: refused (${replayed.refusedWith ?? 'no code'}), yet every ` +
        'line fitted the expected stock'
      : undefined,
    differs(`${label}: refusal code`, replayed.refusedWith,
      INSUFFICIENT_STOCK_CODE)
  ].filter((m) => m !== undefined)
}

/**
 * One cart against its customer's orders in the read model, matched by
 * the order id the API gave it (a customer may have several carts): the
 * answer must be consistent with the stock, and an accepted order must be
 * there with the loader's own lines and total.
 */
export function compareCartOrder (
  replayed: ReplayedOrder,
  customerOrders: ReadonlyMap<string, OrderView>,
  productIds: ReadonlyMap<number, string>
): string[] {
  const answer = compareOrderAnswer(replayed)
  if (replayed.accepted === undefined) return answer

  const { orderId, totalCents } = replayed.accepted
  const label = `cart ${replayed.cartId} (order ${orderId})`
  const order = customerOrders.get(orderId)
  const mismatches = [
    differs('totalCents in the reply', totalCents, replayed.expectedTotalCents),
    ...order === undefined
      ? [`not among customer ${replayed.customerId}'s orders`]
      : compareOrderView(replayed, order, productIds)
  ].filter((m) => m !== undefined)

  return [...answer, ...mismatches.map((m) => `${label}: ${m}`)]
}

/** Orders of a customer that none of their accepted carts placed: a
 * refused cart that left an order behind, or an order counted twice. */
export function findUnclaimedOrders (
  customerId: string,
  carts: readonly ReplayedOrder[],
  customerOrders: ReadonlyMap<string, OrderView>
): string[] {
  const claimed = new Set(carts.flatMap((cart) =>
    cart.accepted === undefined ? [] : [cart.accepted.orderId]))

  return [...customerOrders.keys()].filter((id) => !claimed.has(id))
    .map((id) => `customer ${customerId}: order ${id} was placed by none ` +
      `of their ${carts.length} cart(s)`)
}

export function compareProduct (
  product: LoadedProduct,
  found: ProductView | undefined,
  expectedStock: number
): string[] {
  const label = `product ${product.datasetId} (${product.productId})`
  if (found === undefined) return [`${label}: not in the catalogue`]

  return [
    differs('stock', found.stock, expectedStock),
    differs('priceCents', found.priceCents, product.body.priceCents),
    differs('sku', found.sku, product.body.sku),
    differs('vendorId', found.vendorId, product.vendorId)
  ].filter((m) => m !== undefined).map((m) => `${label}: ${m}`)
}

function compareOrderView (
  replayed: ReplayedOrder,
  order: OrderView,
  productIds: ReadonlyMap<number, string>
) {
  return [
    differs('customerId', order.customerId, replayed.customerId),
    differs('status', order.status, 'placed'),
    differs('totalCents', order.totalCents, replayed.expectedTotalCents),
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
}

function differs (what: string, actual: unknown, expected: unknown) {
  return actual === expected
    ? undefined
    : `${what} is ${String(actual)}, expected ${String(expected)}`
}
