/**
 * Phase three: each cart becomes one order, placed by its owner, one at a
 * time in cart-id order so stock runs out exactly as it would in a shop
 * taking them in sequence. An order the remaining stock cannot fill is
 * refused whole (409): counted, as a shop would, not retried. Before each
 * order is sent, the loader's own stock ledger says whether it should fit;
 * the checks hold the API's answer against that.
 */
import { expectStatus, problemOf } from './api-client.ts'
import type { DatasetCart, DatasetProduct } from './dataset.ts'
import { LoaderError } from './loader-error.ts'
import {
  mergeCartLines,
  priceLines,
  sortCarts,
  totalOf,
  type ExpectedLine
} from './map-cart.ts'
import type { ReplayContext } from './replay-context.ts'
import type { Shopper } from './load-users.ts'
import type { StockLedger, StockShortfall } from './stock-ledger.ts'

export interface ReplayedOrder {
  readonly cartId: number
  readonly customerId: string
  /** The lines as the loader priced them from the catalogue. */
  readonly lines: readonly ExpectedLine[]
  readonly expectedTotalCents: number
  /** Lines the ledger expected too little stock for; none means the order
   * should have been accepted. */
  readonly shortfalls: readonly StockShortfall[]
  /** Present when the API accepted the order. */
  readonly accepted?: {
    readonly orderId: string
    readonly totalCents: number
  }
  /** Present when the API refused it (409): the problem's code. */
  readonly refusedWith?: string
}

export interface OrderSources {
  readonly carts: readonly DatasetCart[]
  readonly catalogue: ReadonlyMap<number, DatasetProduct>
  readonly productIds: ReadonlyMap<number, string>
  readonly shoppers: ReadonlyMap<number, Shopper>
  /** Updated with every accepted order. */
  readonly ledger: StockLedger
}

interface PlacedReply {
  readonly orderId: string
  readonly totalCents: number
  readonly position: string
}

export async function replayOrders (
  context: ReplayContext,
  sources: OrderSources
): Promise<ReplayedOrder[]> {
  const carts = sortCarts(sources.carts)
  const phase = context.progress.startPhase('orders', carts.length)
  const replayed: ReplayedOrder[] = []
  for (const cart of carts) {
    replayed.push(await replayCart(context, sources, cart))
    phase.advance()
  }
  phase.finish()

  return replayed
}

async function replayCart (
  context: ReplayContext,
  sources: OrderSources,
  cart: DatasetCart
): Promise<ReplayedOrder> {
  const shopper = sources.shoppers.get(cart.userId)
  if (shopper === undefined) {
    throw new LoaderError('CR_ERR_LOADER_DATASET',
      `cart ${cart.id} belongs to unknown user ${cart.userId}`)
  }
  const lines = priceLines(mergeCartLines(cart), sources.catalogue)
  const body = {
    lines: lines.map((line) => ({
      productId: apiProductId(sources, line.datasetProductId),
      quantity: line.quantity
    }))
  }
  // Judged before the answer is seen, so the answer cannot sway it.
  const shortfalls = sources.ledger.shortfallsOf(lines)

  const answer = await context.api.request('POST', '/api/orders',
    { token: shopper.token, body })
  const order = { cartId: cart.id, customerId: shopper.userId, lines,
    expectedTotalCents: totalOf(lines), shortfalls }
  if (answer.status === 409) {
    return { ...order, refusedWith: problemOf(answer).code ?? 'unknown' }
  }

  const placed = expectStatus<PlacedReply>(answer, 201,
    `placing the order for cart ${cart.id}`)
  context.positions.note(placed.position)
  sources.ledger.take(lines)

  return { ...order,
    accepted: { orderId: placed.orderId, totalCents: placed.totalCents } }
}

function apiProductId (sources: OrderSources, datasetId: number) {
  const productId = sources.productIds.get(datasetId)
  if (productId === undefined) {
    throw new LoaderError('CR_ERR_LOADER_DATASET',
      `no product was created for dataset product ${datasetId}`)
  }

  return productId
}
