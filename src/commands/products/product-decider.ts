/**
 * The product aggregate as a decider. Stock can never go below zero: every
 * decision that lowers it checks the stock of the state it was decided on,
 * and the append's expected revision makes that state current.
 */
import { conflict, denyingAccess, invalid, notFound } from '../command-errors.ts'
import type { ProductCreated, ProductEvent, ProductUpdated } from './events.ts'

export interface ProductState {
  readonly exists: boolean
  readonly productId: string
  readonly vendorId: string
  readonly title: string
  readonly priceCents: number
  readonly stock: number
  /** Quantity reserved per order still holding stock. */
  readonly reservations: Readonly<Record<string, number>>
}

/** The most units one product may hold: far beyond any shelf, and well
 * inside the read model's 32-bit stock column, so repeated restocking can
 * never write an event its projection cannot store. */
export const MAX_STOCK_UNITS = 1_000_000_000

export const initialProductState: ProductState = {
  exists: false,
  productId: '',
  vendorId: '',
  title: '',
  priceCents: 0,
  stock: 0,
  reservations: {}
}

export function evolveProduct (
  state: ProductState,
  event: ProductEvent
): ProductState {
  switch (event.type) {
    case 'ProductCreated':
      return {
        ...initialProductState,
        exists: true,
        productId: event.data.productId,
        vendorId: event.data.vendorId,
        title: event.data.title,
        priceCents: event.data.priceCents,
        stock: event.data.stock
      }
    case 'ProductUpdated':
      return {
        ...state,
        title: event.data.changes.title ?? state.title,
        priceCents: event.data.changes.priceCents ?? state.priceCents
      }
    case 'StockAdjusted':
      return { ...state, stock: event.data.stockAfter }
    case 'StockReserved':
      return {
        ...state,
        stock: event.data.stockAfter,
        reservations: { ...state.reservations,
          [event.data.orderId]: event.data.quantity }
      }
    case 'StockReleased': {
      const reservations = { ...state.reservations }
      delete reservations[event.data.orderId]

      return { ...state, stock: event.data.stockAfter, reservations }
    }
  }
}

export function decideCreate (
  state: ProductState,
  command: ProductCreated
): ProductEvent[] {
  if (state.exists) {
    throw conflict('CR_ERR_PRODUCT_EXISTS', 'this product already exists')
  }

  return [{ type: 'ProductCreated', data: command }]
}

/** Who may change a product: its own vendor, or an admin. */
export interface Editor {
  readonly userId: string
  readonly isAdmin: boolean
}

export function decideUpdate (
  state: ProductState,
  editor: Editor,
  changes: ProductUpdated['changes']
): ProductEvent[] {
  assertEditable(state, editor)

  return [{
    type: 'ProductUpdated',
    data: { productId: state.productId, changes }
  }]
}

export function decideAdjustStock (
  state: ProductState,
  editor: Editor,
  delta: number,
  reason: string
): ProductEvent[] {
  assertEditable(state, editor)
  const stockAfter = state.stock + delta
  if (delta === 0) {
    throw invalid('CR_ERR_PRODUCT_ZERO_DELTA', 'delta must not be zero',
      'body.delta')
  }
  if (stockAfter < 0) {
    throw conflict('CR_ERR_PRODUCT_NEGATIVE_STOCK',
      `only ${state.stock} in stock`, 'body.delta')
  }
  if (stockAfter > MAX_STOCK_UNITS) {
    throw conflict('CR_ERR_PRODUCT_STOCK_LIMIT',
      `stock may not exceed ${MAX_STOCK_UNITS} units`, 'body.delta')
  }

  return [{
    type: 'StockAdjusted',
    data: { productId: state.productId, delta, reason, stockAfter }
  }]
}

export function decideReserve (
  state: ProductState,
  orderId: string,
  quantity: number
): ProductEvent[] {
  assertExists(state)
  // A zero or negative "reservation" would add stock out of nothing.
  if (!Number.isInteger(quantity) || quantity < 1) {
    throw invalid('CR_ERR_ORDER_INVALID_QUANTITY',
      'quantity must be a positive integer', 'body.lines')
  }
  if (state.reservations[orderId] !== undefined) return []
  if (quantity > state.stock) {
    throw conflict('CR_ERR_ORDER_INSUFFICIENT_STOCK',
      `not enough stock for product ${state.productId}`)
  }

  return [{
    type: 'StockReserved',
    data: {
      productId: state.productId,
      orderId,
      quantity,
      stockAfter: state.stock - quantity
    }
  }]
}

export function decideRelease (
  state: ProductState,
  orderId: string
): ProductEvent[] {
  const quantity = state.reservations[orderId]
  if (quantity === undefined) return []

  return [{
    type: 'StockReleased',
    data: {
      productId: state.productId,
      orderId,
      quantity,
      stockAfter: state.stock + quantity
    }
  }]
}

function assertExists (state: ProductState) {
  if (!state.exists) {
    throw notFound('CR_ERR_PRODUCT_NOT_FOUND', 'no such product')
  }
}

function assertEditable (state: ProductState, editor: Editor) {
  assertExists(state)
  if (!editor.isAdmin && editor.userId !== state.vendorId) {
    // Same answer as a missing product: another vendor's catalogue is not
    // something to probe.
    throw denyingAccess(
      notFound('CR_ERR_PRODUCT_NOT_FOUND', 'no such product'))
  }
}
