import t from 'tap'

import type { DatasetProduct } from '../../src/loader/dataset.ts'
import {
  mergeCartLines,
  priceLines,
  sortCarts,
  totalOf
} from '../../src/loader/map-cart.ts'

const catalogue = new Map<number, DatasetProduct>([
  [7, { id: 7, title: 'A', description: 'a', category: 'c', price: 19.99,
    stock: 3, sku: 'A' }],
  [9, { id: 9, title: 'B', description: 'b', category: 'c', price: 0.29,
    stock: 0, sku: 'B' }]
])

t.test('lines of the same product merge, summing quantities', async (t) => {
  const lines = mergeCartLines({ id: 1, userId: 1, products: [
    { id: 9, quantity: 2 }, { id: 7, quantity: 1 }, { id: 9, quantity: 3 }
  ] })

  t.strictSame(lines, [
    { datasetProductId: 9, quantity: 5 },
    { datasetProductId: 7, quantity: 1 }
  ])
})

t.test('lines are priced from the catalogue in cents', async (t) => {
  const lines = priceLines([{ datasetProductId: 7, quantity: 3 },
    { datasetProductId: 9, quantity: 5 }], catalogue)

  t.strictSame(lines.map((l) => [l.unitPriceCents, l.lineTotalCents]),
    [[1999, 5997], [29, 145]])
  t.equal(totalOf(lines), 6142)
})

t.test('a line naming an unknown product is refused', async (t) => {
  t.throws(() => priceLines([{ datasetProductId: 8, quantity: 1 }], catalogue),
    { code: 'CR_ERR_LOADER_DATASET' })
})

t.test('carts replay in id order', async (t) => {
  const sorted = sortCarts([{ id: 3, userId: 1, products: [] },
    { id: 1, userId: 2, products: [] }, { id: 2, userId: 3, products: [] }])

  t.strictSame(sorted.map((c) => c.id), [1, 2, 3])
})
