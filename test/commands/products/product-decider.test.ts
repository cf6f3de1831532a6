import t from 'tap'

import type {
  ProductCreated,
  ProductEvent
} from '../../../src/commands/products/events.ts'
import {
  decideAdjustStock,
  decideCreate,
  decideRelease,
  decideReserve,
  decideUpdate,
  evolveProduct,
  initialProductState,
  MAX_STOCK_UNITS,
  type ProductState
} from '../../../src/commands/products/product-decider.ts'
import { errorOf, eventsOf, given } from '../../helpers/decider-spec.ts'

const product = { initialState: initialProductState, evolve: evolveProduct }
const VENDOR = { userId: 'vendor-1', isAdmin: false }
const OTHER_VENDOR = { userId: 'vendor-2', isAdmin: false }
const ADMIN = { userId: 'admin-1', isAdmin: true }

const created = (stock = 10): ProductEvent => ({
  type: 'ProductCreated',
  data: listing(stock)
})

function listing (stock: number): ProductCreated {
  return {
    productId: 'p-1',
    vendorId: VENDOR.userId,
    sku: 'SKU-1',
    title: 'Kettle',
    description: 'Boils water',
    category: 'kitchen',
    brand: null,
    priceCents: 2599,
    stock
  }
}

const reserved = (orderId: string, quantity: number, stockAfter: number):
ProductEvent => ({
  type: 'StockReserved',
  data: { productId: 'p-1', orderId, quantity, stockAfter }
})

t.test('a product is listed once; listing it again is a conflict', async (t) => {
  const first = given(product, []).when((s) => decideCreate(s, listing(3)))
  t.same(eventsOf(first), [created(3)])

  const again = given(product, [created(3)])
    .when((s) => decideCreate(s, listing(3)))
  t.equal(errorOf(again).category, 'conflict')
})

t.test('a reservation takes stock and records the order', async (t) => {
  const outcome = given(product, [created(10)])
    .when((s) => decideReserve(s, 'o-1', 4))

  t.same(eventsOf(outcome), [reserved('o-1', 4, 6)])
})

t.test('a reservation larger than the stock is refused', async (t) => {
  const outcome = given(product, [created(3), reserved('o-1', 2, 1)])
    .when((s) => decideReserve(s, 'o-2', 2))

  t.equal(errorOf(outcome).category, 'conflict')
  t.equal(errorOf(outcome).code, 'CR_ERR_ORDER_INSUFFICIENT_STOCK')
})

t.test('a reservation of the whole stock leaves exactly zero', async (t) => {
  const outcome = given(product, [created(5)])
    .when((s) => decideReserve(s, 'o-1', 5))

  t.same(eventsOf(outcome), [reserved('o-1', 5, 0)])
})

t.test('a reservation of zero or fewer units is refused', async (t) => {
  for (const quantity of [0, -3, 1.5]) {
    const outcome = given(product, [created(5)])
      .when((s) => decideReserve(s, 'o-1', quantity))
    t.equal(errorOf(outcome).category, 'invalid', `quantity ${quantity}`)
  }
})

t.test('reserving twice for one order takes stock once', async (t) => {
  const outcome = given(product, [created(10), reserved('o-1', 4, 6)])
    .when((s) => decideReserve(s, 'o-1', 4))

  t.same(eventsOf(outcome), [])
})

t.test('a release returns exactly what the order reserved, once', async (t) => {
  const history = [created(10), reserved('o-1', 4, 6), reserved('o-2', 1, 5)]
  const outcome = given(product, history).when((s) => decideRelease(s, 'o-1'))

  t.same(eventsOf(outcome), [{
    type: 'StockReleased',
    data: { productId: 'p-1', orderId: 'o-1', quantity: 4, stockAfter: 9 }
  }])

  const again = given(product, [...history, ...eventsOf(outcome)])
    .when((s) => decideRelease(s, 'o-1'))
  t.same(eventsOf(again), [])
})

t.test('releasing an order that reserved nothing changes nothing', async (t) => {
  const outcome = given(product, [created(10)])
    .when((s) => decideRelease(s, 'o-9'))

  t.same(eventsOf(outcome), [])
})

t.test('stock never goes negative whatever the sequence of decisions', async (t) => {
  let history: ProductEvent[] = [created(7)]
  let refused = 0
  for (let step = 0; step < 200; step++) {
    const orderId = `o-${step % 13}`
    const decision = pickDecision(step, orderId)
    const outcome = given(product, history).when(decision)
    if ('error' in outcome) {
      refused++
      continue
    }
    history = [...history, ...outcome.events]
    const { state } = given(product, history)
    t.ok(state.stock >= 0, `stock ${state.stock} after step ${step}`)
  }
  t.ok(refused > 0, 'some decisions were refused for lack of stock')
})

t.test('stock adjustments below zero are refused; zero is invalid', async (t) => {
  const below = given(product, [created(2)])
    .when((s) => decideAdjustStock(s, VENDOR, -3, 'write-off'))
  t.equal(errorOf(below).category, 'conflict')

  const zero = given(product, [created(2)])
    .when((s) => decideAdjustStock(s, VENDOR, 0, 'nothing'))
  t.equal(errorOf(zero).category, 'invalid')
  t.equal(errorOf(zero).field, 'body.delta')

  const delivery = given(product, [created(2)])
    .when((s) => decideAdjustStock(s, VENDOR, 5, 'delivery'))
  t.same(eventsOf(delivery), [{
    type: 'StockAdjusted',
    data: { productId: 'p-1', delta: 5, reason: 'delivery', stockAfter: 7 }
  }])
})

t.test('restocking past the stock limit is refused; up to it is allowed', async (t) => {
  const full = given(product, [created(10)])
    .when((s) => decideAdjustStock(s, VENDOR, MAX_STOCK_UNITS - 10, 'pallets'))
  t.equal((eventsOf(full)[0]!.data as { stockAfter: number }).stockAfter,
    MAX_STOCK_UNITS)

  const over = given(product, [created(10)])
    .when((s) => decideAdjustStock(s, VENDOR, MAX_STOCK_UNITS - 9, 'pallets'))
  t.equal(errorOf(over).code, 'CR_ERR_PRODUCT_STOCK_LIMIT')
  t.equal(errorOf(over).field, 'body.delta')
  t.ok(MAX_STOCK_UNITS < 2 ** 31, 'the limit fits the 32-bit stock column')
})

t.test('another vendor cannot edit a product: it looks missing', async (t) => {
  const update = given(product, [created()])
    .when((s) => decideUpdate(s, OTHER_VENDOR, { title: 'Mine now' }))
  t.equal(errorOf(update).category, 'not_found')

  const adjust = given(product, [created()])
    .when((s) => decideAdjustStock(s, OTHER_VENDOR, 1, 'sneaky'))
  t.equal(errorOf(adjust).category, 'not_found')
})

t.test('the owning vendor and an admin may edit a product', async (t) => {
  for (const editor of [VENDOR, ADMIN]) {
    const outcome = given(product, [created()])
      .when((s) => decideUpdate(s, editor, { priceCents: 1999 }))
    t.same(eventsOf(outcome), [{
      type: 'ProductUpdated',
      data: { productId: 'p-1', changes: { priceCents: 1999 } }
    }])
  }
})

t.test('a missing product cannot be edited or reserved', async (t) => {
  const update = given(product, [])
    .when((s) => decideUpdate(s, ADMIN, { title: 'x' }))
  t.equal(errorOf(update).category, 'not_found')

  const reserve = given(product, []).when((s) => decideReserve(s, 'o-1', 1))
  t.equal(errorOf(reserve).category, 'not_found')
})

// Reserve, release and adjust in a fixed pseudo-random mix.
function pickDecision (step: number, orderId: string) {
  return (state: ProductState) => {
    switch ((step * 7) % 5) {
      case 0:
      case 1:
        return decideReserve(state, orderId, 1 + (step % 4))
      case 2:
        return decideRelease(state, orderId)
      case 3:
        return decideAdjustStock(state, VENDOR, -1 - (step % 3), 'write-off')
      default:
        return decideAdjustStock(state, VENDOR, 1 + (step % 2), 'delivery')
    }
  }
}
