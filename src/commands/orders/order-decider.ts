/**
 * The order aggregate as a decider. Placing an order is decided after its
 * stock has been reserved on every product (see place-order.ts); the order
 * stream itself only records the outcome. Its first event settles the saga
 * once: OrderPlaced, or OrderAbandoned when the reconciler gave the order
 * up (reconcile-order-sagas.ts), never both.
 */
import { conflict, denyingAccess, notFound } from '../command-errors.ts'
import {
  orderStream,
  type OrderEvent,
  type OrderLine,
  type OrderPlaced
} from './events.ts'

export type OrderStatus = 'none' | 'placed' | 'cancelled' | 'abandoned'

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

/** The order stream with its state and evolve, for handleCommand and
 * loadState: every command on an order starts from this. */
export const orderSpec = (orderId: string) => ({
  stream: orderStream(orderId),
  initialState: initialOrderState,
  evolve: evolveOrder
})

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
    case 'OrderAbandoned':
      return { ...state, status: 'abandoned', orderId: event.data.orderId }
  }
}

export function decidePlace (
  state: OrderState,
  command: OrderPlaced
): OrderEvent[] {
  if (state.status === 'abandoned') {
    throw conflict('CR_ERR_ORDER_ABANDONED',
      'this order took too long to place and its stock was released; ' +
      'place it again')
  }
  if (state.status !== 'none') {
    throw conflict('CR_ERR_ORDER_EXISTS', 'this order already exists')
  }

  return [{ type: 'OrderPlaced', data: command }]
}

/** Gives up an order that was never recorded; an order that was (placed,
 * cancelled) or is already given up is left as it is. */
export function decideAbandon (
  state: OrderState,
  orderId: string,
  reason: string,
  abandonedAt: string
): OrderEvent[] {
  if (state.status !== 'none') return []

  return [{ type: 'OrderAbandoned', data: { orderId, reason, abandonedAt } }]
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
  if (state.status === 'none' || state.status === 'abandoned') {
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
