import t from 'tap'

import {
  buildTestApp,
  registerCustomers,
  signUp,
  type TestApp
} from '../../helpers/app.ts'
import { listProduct } from '../../helpers/catalogue.ts'
import { eventsAfter, lastPosition } from '../../helpers/event-log.ts'

const PROBLEM = /^application\/problem\+json/

// One app for the file: every test lists its own products, so they stay
// independent while paying for the database and the sign-ups once.
const test = await buildTestApp(t)
const vendor = await signUp(test, 'vendor')
const customer = await signUp(test)
const stranger = await signUp(test)

async function stockInStream (test: TestApp, productId: string) {
  const events = await test.services.store.readStream(`product-${productId}`)
  const last = events.at(-1)!.data as { stock?: number, stockAfter?: number }

  return last.stockAfter ?? last.stock
}

async function stockInReadModel (test: TestApp, productId: string,
  position: bigint | string) {
  const response = await test.app.inject({
    method: 'GET',
    url: `/api/products/${productId}`,
    headers: { 'x-min-position': position.toString() }
  })

  return response.json().stock as number
}

function placeOrder (test: TestApp, auth: { authorization: string },
  lines: { productId: string, quantity: number }[]) {
  return test.app.inject({
    method: 'POST', url: '/api/orders', headers: auth, payload: { lines }
  })
}

t.test('fifty customers racing for ten units: ten orders, no oversell', async (t) => {
  const { productId } = await listProduct(test, vendor, { stock: 10 })
  const customers = await registerCustomers(test, 50)

  const responses = await Promise.all(customers.map((auth) =>
    placeOrder(test, auth, [{ productId, quantity: 1 }])))

  const placed = responses.filter((r) => r.statusCode === 201)
  const refused = responses.filter((r) => r.statusCode === 409)
  t.equal(placed.length, 10, 'exactly ten orders placed')
  t.equal(refused.length, 40, 'exactly forty refused')
  for (const response of refused) {
    t.match(response.headers['content-type'], PROBLEM)
    t.equal(response.json().code, 'CR_ERR_ORDER_INSUFFICIENT_STOCK')
  }

  const events = await test.services.store.readStream(`product-${productId}`)
  const reservations = events.filter((e) => e.type === 'StockReserved')
  t.equal(reservations.length, 10, 'ten reservations in the stream')
  t.equal(new Set(reservations.map((e) => e.data.orderId)).size, 10)
  t.equal(await stockInStream(test, productId), 0, 'stream ends at zero')

  const highest = placed
    .map((r) => BigInt(r.json().position as string))
    .reduce((a, b) => (a > b ? a : b))
  t.equal(await stockInReadModel(test, productId, highest), 0,
    'read model ends at zero')
})

t.test('an order whose second line lacks stock reserves nothing', async (t) => {
  const plenty = await listProduct(test, vendor, { stock: 5 })
  const scarce = await listProduct(test, vendor, { stock: 1 })
  const before = await lastPosition(test)

  const refused = await placeOrder(test, customer.auth, [
    { productId: plenty.productId, quantity: 2 },
    { productId: scarce.productId, quantity: 3 }
  ])

  t.equal(refused.statusCode, 409)
  t.match(refused.headers['content-type'], PROBLEM)
  t.equal(await stockInStream(test, plenty.productId), 5)
  t.equal(await stockInStream(test, scarce.productId), 1)
  const appended = await eventsAfter(test, before)
  t.same(appended.filter((e) => e.stream_id.startsWith('order-')), [],
    'no order was recorded')
  t.same(appended.map((e) => e.type).filter((type) => type !== 'StockReserved' &&
    type !== 'StockReleased'), [], 'nothing but reservations undone')
  t.equal(await stockInReadModel(test, plenty.productId,
    await lastPosition(test)), 5)

  // The whole stock is really there to be sold.
  const all = await placeOrder(test, customer.auth,
    [{ productId: plenty.productId, quantity: 5 }])
  t.equal(all.statusCode, 201)
})

t.test('totals are integer cents and lines of one product merge', async (t) => {
  const kettle = await listProduct(test, vendor, { priceCents: 1999,
    stock: 20 })
  const pin = await listProduct(test, vendor, { priceCents: 5, stock: 20 })

  const response = await placeOrder(test, customer.auth, [
    { productId: kettle.productId, quantity: 2 },
    { productId: pin.productId, quantity: 1 },
    { productId: kettle.productId, quantity: 3 }
  ])

  t.equal(response.statusCode, 201)
  const order = response.json()
  t.equal(order.status, 'placed')
  t.equal(order.totalCents, 1999 * 5 + 5)
  t.equal(order.lines.length, 2, 'the two kettle lines became one')
  const kettleLine = order.lines.find(
    (l: { productId: string }) => l.productId === kettle.productId)
  t.match(kettleLine, { quantity: 5, unitPriceCents: 1999,
    lineTotalCents: 9995, vendorId: vendor.userId })
  t.equal(await stockInStream(test, kettle.productId), 15)

  const read = await test.app.inject({
    method: 'GET',
    url: `/api/orders/${order.orderId as string}`,
    headers: { ...customer.auth, 'x-min-position': order.position }
  })
  t.equal(read.statusCode, 200)
  t.equal(read.json().totalCents, 9995 + 5)
  t.equal(read.json().lines.length, 2)
  t.equal(read.json().customerId, customer.userId)
})

t.test('cancelling returns the stock; twice is a conflict', async (t) => {
  const { productId } = await listProduct(test, vendor, { stock: 4 })
  const placed = await placeOrder(test, customer.auth,
    [{ productId, quantity: 3 }])
  const orderId = placed.json().orderId as string
  t.equal(await stockInStream(test, productId), 1)

  const cancel = () => test.app.inject({
    method: 'POST',
    url: `/api/orders/${orderId}/cancel`,
    headers: customer.auth,
    payload: { reason: 'found it cheaper' }
  })
  const first = await cancel()
  t.equal(first.statusCode, 200)
  t.equal(first.json().status, 'cancelled')
  t.equal(await stockInStream(test, productId), 4)
  t.equal(await stockInReadModel(test, productId, first.json().position), 4)

  const second = await cancel()
  t.equal(second.statusCode, 409)
  t.match(second.headers['content-type'], PROBLEM)
  t.equal(await stockInStream(test, productId), 4, 'stock returned once')

  const read = await test.app.inject({
    method: 'GET',
    url: `/api/orders/${orderId}`,
    headers: { ...customer.auth, 'x-min-position': first.json().position }
  })
  t.equal(read.json().status, 'cancelled')
  t.type(read.json().cancelledAt, 'string')
})

t.test('a bare POST cancels: the reason, and so the body, is optional', async (t) => {
  const { productId } = await listProduct(test, vendor, { stock: 2 })
  const placed = await placeOrder(test, customer.auth,
    [{ productId, quantity: 2 }])

  const cancel = await test.app.inject({ method: 'POST',
    url: `/api/orders/${placed.json().orderId as string}/cancel`,
    headers: customer.auth })

  t.equal(cancel.statusCode, 200, cancel.body)
  t.equal(await stockInStream(test, productId), 2)
})

t.test('someone else\'s order is not found, to cancel or to read', async (t) => {
  const { productId } = await listProduct(test, vendor, { stock: 4 })
  const placed = await placeOrder(test, customer.auth, [{ productId, quantity: 2 }])
  const { orderId, position } = placed.json()

  const cancel = await test.app.inject({
    method: 'POST',
    url: `/api/orders/${orderId as string}/cancel`,
    headers: stranger.auth,
    payload: {}
  })
  t.equal(cancel.statusCode, 404)
  t.match(cancel.headers['content-type'], PROBLEM)
  t.equal(await stockInStream(test, productId), 2, 'nothing released')

  const read = await test.app.inject({
    method: 'GET',
    url: `/api/orders/${orderId as string}`,
    headers: { ...stranger.auth, 'x-min-position': position }
  })
  t.equal(read.statusCode, 404)

  const mine = await test.app.inject({
    method: 'GET',
    url: '/api/orders',
    headers: { ...stranger.auth, 'x-min-position': position }
  })
  t.same(mine.json().items, [], 'the stranger lists no orders')
})

t.test('an order naming an unknown product is refused and reserves nothing', async (t) => {
  const { productId } = await listProduct(test, vendor, { stock: 3 })

  const response = await placeOrder(test, customer.auth, [
    { productId, quantity: 1 },
    { productId: '00000000-0000-4000-8000-000000000000', quantity: 1 }
  ])

  t.ok([400, 404].includes(response.statusCode), `${response.statusCode}`)
  t.match(response.headers['content-type'], PROBLEM)
  t.equal(await stockInStream(test, productId), 3)
})
