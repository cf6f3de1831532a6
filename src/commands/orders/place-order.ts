/**
 * Placing an order touches several product streams and one order stream,
 * and no event store appends to several streams atomically. So the order is
 * a short saga: reserve stock on each product (each reservation decided on
 * the product's current stock, so it can never be oversold), then record the
 * order; if any reservation is refused, release the ones already taken and
 * refuse the whole order. All or nothing, as the customer sees it. A process
 * that dies part way leaves reservations that name the order; the
 * reconciler (reconcile-order-sagas.ts) gives such an order up on its
 * stream and releases them once they are older than its grace period, and
 * a writer that was only slow then finds its order given up and refused.
 */
import { randomUUID } from 'node:crypto'

import { DomainError, invalid } from '../command-errors.ts'
import type { CommandContext, CommandServices } from '../command-context.ts'
import { handleCommand } from '../handle-command.ts'
import { productSpec } from '../products/change-product.ts'
import { decideRelease, decideReserve } from '../products/product-decider.ts'
import type { Address } from '../users/events.ts'
import type { OrderLine } from './events.ts'
import {
  decidePlace,
  orderSpec,
  totalOf
} from './order-decider.ts'

export interface OrderInput {
  readonly lines: readonly { productId: string, quantity: number }[]
  readonly shippingAddress?: Address | null
}

// Reservations retry on conflict only when another replica wrote the same
// product; within one process writers already queue (stream-lock.ts).
const RESERVATION_ATTEMPTS = 50

export async function placeOrder (
  services: CommandServices,
  context: CommandContext,
  customerId: string,
  input: OrderInput
) {
  const orderId = randomUUID()
  const wanted = mergeLines(input.lines)
  const lines: OrderLine[] = []
  try {
    for (const [productId, quantity] of wanted) {
      lines.push(await reserve(services, context, orderId, productId, quantity))
    }
    const outcome = await handleCommand(services, context, {
      ...orderSpec(orderId),
      attempts: 1,
      decide: (state) => decidePlace(state, {
        orderId,
        customerId,
        lines,
        totalCents: totalOf(lines),
        shippingAddress: input.shippingAddress ?? null,
        placedAt: services.now().toISOString()
      })
    })

    return { orderId, status: 'placed' as const, lines,
      totalCents: totalOf(lines), position: outcome.position }
  } catch (error) {
    await releaseAll(services, context, orderId, lines)
    throw error
  }
}

/** Stock taken by an order goes back to its products. */
export async function releaseAll (
  services: CommandServices,
  context: CommandContext,
  orderId: string,
  lines: readonly OrderLine[]
) {
  let position = 0n
  for (const line of lines) {
    const outcome = await handleCommand(services, context, {
      ...productSpec(line.productId),
      attempts: RESERVATION_ATTEMPTS,
      decide: (state) => decideRelease(state, orderId)
    })
    if (outcome.position > position) position = outcome.position
  }

  return position
}

async function reserve (
  services: CommandServices,
  context: CommandContext,
  orderId: string,
  productId: string,
  quantity: number
): Promise<OrderLine> {
  try {
    const { state } = await handleCommand(services, context, {
      ...productSpec(productId),
      attempts: RESERVATION_ATTEMPTS,
      decide: (current) => decideReserve(current, orderId, quantity)
    })

    return {
      productId,
      vendorId: state.vendorId,
      title: state.title,
      unitPriceCents: state.priceCents,
      quantity,
      lineTotalCents: state.priceCents * quantity
    }
  } catch (error) {
    if (error instanceof DomainError && error.category === 'not_found') {
      throw invalid('CR_ERR_ORDER_UNKNOWN_PRODUCT',
        `product ${productId} does not exist`, 'body.lines')
    }
    throw error
  }
}

// Lines of the same product become one line, in a fixed order.
function mergeLines (lines: OrderInput['lines']) {
  const merged = new Map<string, number>()
  for (const line of lines) {
    merged.set(line.productId, (merged.get(line.productId) ?? 0) + line.quantity)
  }

  return [...merged].sort(([a], [b]) => a.localeCompare(b))
}
