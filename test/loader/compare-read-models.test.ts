import t from 'tap'

import {
  compareCartOrder,
  compareOrderAnswer,
  compareProduct,
  findUnclaimedOrders,
  type OrderView
} from '../../src/loader/compare-read-models.ts'
import type { LoadedProduct } from '../../src/loader/load-catalogue.ts'
import type { ReplayedOrder } from '../../src/loader/replay-orders.ts'

const productIds = new Map([[7, 'p-7'], [9, 'p-9']])

const accepted: ReplayedOrder = {
  cartId: 1,
  customerId: 'c-1',
  lines: [
    { datasetProductId: 7, quantity: 2, unitPriceCents: 1999,
      lineTotalCents: 3998 },
    { datasetProductId: 9, quantity: 1, unitPriceCents: 29, lineTotalCents: 29 }
  ],
  expectedTotalCents: 4027,
  shortfalls: [],
  accepted: { orderId: 'o-1', totalCents: 4027 }
}

const refused: ReplayedOrder = {
  ...accepted,
  cartId: 2,
  accepted: undefined,
  shortfalls: [{ datasetProductId: 7, ordered: 2, expectedLeft: 1 }],
  refusedWith: 'CR_ERR_ORDER_INSUFFICIENT_STOCK'
}

const view: OrderView = {
  orderId: 'o-1',
  customerId: 'c-1',
  status: 'placed',
  totalCents: 4027,
  lines: [
    { productId: 'p-9', unitPriceCents: 29, quantity: 1, lineTotalCents: 29 },
    { productId: 'p-7', unitPriceCents: 1999, quantity: 2,
      lineTotalCents: 3998 }
  ]
}

const byId = (...orders: OrderView[]) =>
  new Map(orders.map((o) => [o.orderId, o]))

t.test('an answer consistent with the expected stock passes', async (t) => {
  t.strictSame(compareOrderAnswer(accepted), [])
  t.strictSame(compareOrderAnswer(refused), [])
})

t.test('an order accepted beyond the expected stock is reported',
  async (t) => {
    const beyond = { ...accepted, shortfalls: refused.shortfalls }

    t.match(compareOrderAnswer(beyond), [
      /^cart 1: accepted, yet the stock could not fill it: product 7 \(2 ordered, 1 expected left\)$/
    ])
  })

t.test('an order refused although it fitted is reported', async (t) => {
  const fitted = { ...refused, shortfalls: [] }

  t.match(compareOrderAnswer(fitted), [
    /^cart 2: refused \(CR_ERR_ORDER_INSUFFICIENT_STOCK\), yet every line fitted the expected stock$/
  ])
})

t.test('a refusal for anything but stock is reported', async (t) => {
  const other = { ...refused, refusedWith: 'CR_ERR_CONCURRENCY' }

  t.match(compareOrderAnswer(other), [
    /cart 2: refusal code is CR_ERR_CONCURRENCY, expected CR_ERR_ORDER_INSUFFICIENT_STOCK/
  ])
})

t.test('an accepted order matching the read model passes', async (t) => {
  t.strictSame(compareCartOrder(accepted, byId(view), productIds), [])
  t.strictSame(compareCartOrder(refused, byId(view), productIds), [],
    'a refused cart looks for no order')
})

t.test('a wrong total or quantity is reported', async (t) => {
  const wrong = { ...view, totalCents: 4000, lines: [view.lines[0]!,
    { ...view.lines[1]!, quantity: 3 }] }
  const mismatches = compareCartOrder(accepted, byId(wrong), productIds)

  t.equal(mismatches.length, 2)
  t.match(mismatches[0], /cart 1 \(order o-1\): totalCents is 4000, expected 4027/)
  t.match(mismatches[1], /quantity of p-7 is 3, expected 2/)
})

t.test('a missing line, a missing order or another customer\'s is reported',
  async (t) => {
    t.match(compareCartOrder(accepted,
      byId({ ...view, lines: [view.lines[0]!] }), productIds),
    [/line count is 1, expected 2/, /no line for product p-7/])
    t.match(compareCartOrder(accepted, byId(), productIds),
      [/cart 1 \(order o-1\): not among customer c-1's orders/])
    t.match(compareCartOrder(accepted,
      byId({ ...view, customerId: 'c-2' }), productIds),
    [/customerId is c-2, expected c-1/])
  })

t.test('one customer\'s carts are matched to orders by order id',
  async (t) => {
    const second: ReplayedOrder = { ...accepted, cartId: 3,
      lines: [accepted.lines[1]!], expectedTotalCents: 29,
      accepted: { orderId: 'o-2', totalCents: 29 } }
    const secondView = { ...view, orderId: 'o-2', totalCents: 29,
      lines: [view.lines[0]!] }
    const orders = byId(secondView, view)

    t.strictSame(compareCartOrder(accepted, orders, productIds), [])
    t.strictSame(compareCartOrder(second, orders, productIds), [])
    t.strictSame(findUnclaimedOrders('c-1', [accepted, refused, second],
      orders), [])
  })

t.test('an order no accepted cart placed is reported', async (t) => {
  const stray = { ...view, orderId: 'o-9' }

  t.match(findUnclaimedOrders('c-1', [accepted, refused],
    byId(view, stray)),
  [/^customer c-1: order o-9 was placed by none of their 2 cart\(s\)$/])
  t.match(findUnclaimedOrders('c-1', [refused], byId(view)),
    [/order o-1 was placed by none of their 1 cart/],
    'a refused cart that left an order behind')
})

t.test('a product whose stock or price differs is reported', async (t) => {
  const product: LoadedProduct = {
    datasetId: 7,
    productId: 'p-7',
    vendorId: 'v-1',
    body: { sku: 'A-R1', title: 'A', description: 'a', category: 'c',
      brand: null, priceCents: 1999, stock: 10 }
  }
  const found = { productId: 'p-7', vendorId: 'v-1', sku: 'A-R1',
    priceCents: 1999, stock: 8 }

  t.strictSame(compareProduct(product, found, 8), [])
  t.match(compareProduct(product, { ...found, priceCents: 1 }, 7), [
    /product 7 \(p-7\): stock is 8, expected 7/,
    /priceCents is 1, expected 1999/
  ])
  t.match(compareProduct(product, undefined, 8),
    [/product 7 \(p-7\): not in the catalogue/])
})
