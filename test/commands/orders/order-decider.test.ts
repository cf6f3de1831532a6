import t from 'tap'

import type {
  OrderEvent,
  OrderLine,
  OrderPlaced
} from '../../../src/commands/orders/events.ts'
import {
  decideAbandon,
  decideCancel,
  decidePlace,
  evolveOrder,
  initialOrderState,
  totalOf
} from '../../../src/commands/orders/order-decider.ts'
import { errorOf, eventsOf, given } from '../../helpers/decider-spec.ts'

const order = { initialState: initialOrderState, evolve: evolveOrder }
const OWNER = { userId: 'customer-1', isAdmin: false }
const STRANGER = { userId: 'customer-2', isAdmin: false }
const ADMIN = { userId: 'admin-1', isAdmin: true }
const AT = '2025-01-02T03:04:05.000Z'

const line = (productId: string, unitPriceCents: number, quantity: number):
OrderLine => ({
  productId,
  vendorId: 'vendor-1',
  title: `Item ${productId}`,
  unitPriceCents,
  quantity,
  lineTotalCents: unitPriceCents * quantity
})

const lines = [line('p-1', 1999, 3), line('p-2', 5, 1)]

const placement: OrderPlaced = {
  orderId: 'o-1',
  customerId: OWNER.userId,
  lines,
  totalCents: totalOf(lines),
  shippingAddress: null,
  placedAt: AT
}

const placed: OrderEvent = { type: 'OrderPlaced', data: placement }

t.test('an order is placed once; placing it again is a conflict', async (t) => {
  t.same(eventsOf(given(order, []).when((s) => decidePlace(s, placement))),
    [placed])

  const again = given(order, [placed]).when((s) => decidePlace(s, placement))
  t.equal(errorOf(again).category, 'conflict')
})

t.test('the total is the sum of price times quantity in integer cents', async (t) => {
  t.equal(totalOf(lines), 1999 * 3 + 5)
  t.equal(totalOf([]), 0)
  t.ok(Number.isInteger(totalOf([line('p', 10, 7), line('q', 33, 3)])))
})

t.test('the owner cancels their order, keeping its lines in state', async (t) => {
  const outcome = given(order, [placed])
    .when((s) => decideCancel(s, OWNER, 'changed my mind', AT))

  t.same(eventsOf(outcome), [{
    type: 'OrderCancelled',
    data: { orderId: 'o-1', customerId: OWNER.userId,
      reason: 'changed my mind', cancelledAt: AT }
  }])
  const after = given(order, [placed, ...eventsOf(outcome)]).state
  t.equal(after.status, 'cancelled')
  t.same(after.lines, lines)
})

t.test('cancelling twice is a conflict', async (t) => {
  const cancelled = eventsOf(given(order, [placed])
    .when((s) => decideCancel(s, OWNER, 'once', AT)))
  const twice = given(order, [placed, ...cancelled])
    .when((s) => decideCancel(s, OWNER, 'twice', AT))

  t.equal(errorOf(twice).category, 'conflict')
  t.equal(errorOf(twice).code, 'CR_ERR_ORDER_ALREADY_CANCELLED')
})

t.test('another customer cannot cancel an order: it looks missing', async (t) => {
  const outcome = given(order, [placed])
    .when((s) => decideCancel(s, STRANGER, 'not mine', AT))
  t.equal(errorOf(outcome).category, 'not_found')

  // Not even a cancelled one, whose conflict would reveal it exists.
  const cancelled = eventsOf(given(order, [placed])
    .when((s) => decideCancel(s, OWNER, 'once', AT)))
  const probe = given(order, [placed, ...cancelled])
    .when((s) => decideCancel(s, STRANGER, 'probe', AT))
  t.equal(errorOf(probe).category, 'not_found')
})

t.test('an admin may cancel any order', async (t) => {
  const outcome = given(order, [placed])
    .when((s) => decideCancel(s, ADMIN, 'fraud', AT))

  t.equal(eventsOf(outcome).length, 1)
})

t.test('a missing order cannot be cancelled', async (t) => {
  const outcome = given(order, []).when((s) => decideCancel(s, ADMIN, 'x', AT))

  t.equal(errorOf(outcome).category, 'not_found')
})

const abandoned: OrderEvent = {
  type: 'OrderAbandoned',
  data: { orderId: 'o-1', reason: 'not recorded in time', abandonedAt: AT }
}

t.test('an order never recorded is abandoned, once', async (t) => {
  const outcome = given(order, [])
    .when((s) => decideAbandon(s, 'o-1', 'not recorded in time', AT))

  t.same(eventsOf(outcome), [abandoned])
  t.equal(given(order, [abandoned]).state.status, 'abandoned')
  t.same(eventsOf(given(order, [abandoned])
    .when((s) => decideAbandon(s, 'o-1', 'again', AT))), [])
})

t.test('a recorded order is never abandoned, placed or cancelled', async (t) => {
  const cancelled = eventsOf(given(order, [placed])
    .when((s) => decideCancel(s, OWNER, 'once', AT)))

  for (const history of [[placed], [placed, ...cancelled]]) {
    t.same(eventsOf(given(order, history)
      .when((s) => decideAbandon(s, 'o-1', 'late', AT))), [])
  }
})

t.test('an abandoned order cannot be placed afterwards', async (t) => {
  const late = given(order, [abandoned]).when((s) => decidePlace(s, placement))

  t.equal(errorOf(late).category, 'conflict')
  t.equal(errorOf(late).code, 'CR_ERR_ORDER_ABANDONED')
})

t.test('an abandoned order cannot be cancelled: it looks missing', async (t) => {
  const outcome = given(order, [abandoned])
    .when((s) => decideCancel(s, ADMIN, 'x', AT))

  t.equal(errorOf(outcome).category, 'not_found')
  t.equal(errorOf(outcome).code, 'CR_ERR_ORDER_NOT_FOUND')
})
