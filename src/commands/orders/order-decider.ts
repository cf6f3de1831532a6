/**
 * The order aggregate as a decider. Placing an order is decided after its
 * stock has been reserved on every product (see place-order.ts); the order
 * stream itself only records the outcome.
 */
import { conflict, denyingAccess, notFound } from '../command-errors.ts'
import type { OrderEvent, OrderLine, OrderPlaced } from './events.ts'

export type OrderStatus = 'none' | 'placed' | 'cancelled'

export interface OrderState {
  readonly status: OrderStatus
  readonly orderId: string
  readonly customerId: string
  readonly lines: readonly OrderLine[]
}

export const initialOrderState: OrderState = {
  status: 'none',
  orderId: '',
  customerId: '',
  lines: []
}

export function evolveOrder (state: OrderState, event: OrderEvent): OrderState {
  switch (event.type) {
    case 'OrderPlaced':
      return {
        status: 'placed',
        orderId: event.data.orderId,
        customerId: event.data.customerId,
        lines: event.data.lines
      }
    case 'OrderCancelled':
      return { ...state, status: 'cancelled' }
  }
}

export function decidePlace (
  state: OrderState,
  command: OrderPlaced
): OrderEvent[] {
  if (state.status !== 'none') {
    throw conflict('CR_ERR_ORDER_EXISTS', 'this order already exists')
  }

  return [{ type: 'OrderPlaced', data: command }]
}

export interface Canceller {
  readonly userId: string
  readonly isAdmin: boolean
}

export function decideCancel (
  state: OrderState,
  canceller: Canceller,
  reason: string,
  cancelledAt: string
): OrderEvent[] {
  if (state.status === 'none') {
    throw notFound('CR_ERR_ORDER_NOT_FOUND', 'no such order')
  }
  if (!canceller.isAdmin && canceller.userId !== state.customerId) {
    // Answered like a missing order, so order ids cannot be probed.
    throw denyingAccess(notFound('CR_ERR_ORDER_NOT_FOUND', 'no such order'))
  }
  if (state.status === 'cancelled') {
    throw conflict('CR_ERR_ORDER_ALREADY_CANCELLED',
      'this order is already cancelled')
  }

  return [{
    type: 'OrderCancelled',
    data: {
      orderId: state.orderId,
      customerId: state.customerId,
      reason,
      cancelledAt
    }
  }]
}

/** Integer cents all the way: a line total is price × quantity, exactly. */
export function totalOf (lines: readonly OrderLine[]) {
  return lines.reduce((sum, line) => sum + line.lineTotalCents, 0)
}
