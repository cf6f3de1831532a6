import t from 'tap'

import {
  compareCustomerOrders,
  compareProduct,
  unitsSoldByProduct,
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
  accepted: { orderId: 'o-1', totalCents: 4027 }
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

t.test('an accepted order matching the read model passes', async (t) => {
  t.strictSame(compareCustomerOrders(accepted, [view], productIds), [])
})

t.test('a wrong total or quantity is reported', async (t) => {
  const wrong = { ...view, totalCents: 4000, lines: [view.lines[0]!,
    { ...view.lines[1]!, quantity: 3 }] }
  const mismatches = compareCustomerOrders(accepted, [wrong], productIds)

  t.equal(mismatches.length, 2)
  t.match(mismatches[0], /cart 1 \(order o-1\): totalCents is 4000, expected 4027/)
  t.match(mismatches[1], /quantity of p-7 is 3, expected 2/)
})

t.test('a missing line, or a missing or extra order, is reported',
  async (t) => {
    t.match(compareCustomerOrders(accepted,
      [{ ...view, lines: [view.lines[0]!] }], productIds),
    [/line count is 1, expected 2/, /no line for product p-7/])
    t.match(compareCustomerOrders(accepted, [], productIds),
      [/expected 1 order, found 0/])
    const refused = { ...accepted, accepted: undefined,
      refusedWith: 'CR_ERR_ORDER_INSUFFICIENT_STOCK' }
    t.strictSame(compareCustomerOrders(refused, [], productIds), [])
    t.match(compareCustomerOrders(refused, [view], productIds),
      [/refused, yet 1 order\(s\) exist/])
  })

t.test('stock is expected to drop by the units of accepted orders only',
  async (t) => {
    const refused = { ...accepted, cartId: 2, accepted: undefined }
    const sold = unitsSoldByProduct([accepted, refused, accepted], productIds)

    t.strictSame([...sold], [['p-7', 4], ['p-9', 2]])
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
})
