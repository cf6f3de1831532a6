import t from 'tap'

import type { DatasetProduct } from '../../src/loader/dataset.ts'
import {
  planVendors,
  toBrandSlug,
  toCents,
  toProductBody
} from '../../src/loader/map-catalogue.ts'

const product = (id: number, brand?: string): DatasetProduct => ({
  id,
  title: `Product ${id}`,
  description: 'A thing',
  category: 'beauty',
  price: 9.99,
  stock: 5,
  sku: `SKU-${id}`,
  ...(brand === undefined ? {} : { brand })
})

t.test('prices become integer cents, rounding float noise', async (t) => {
  t.equal(toCents(9.99), 999)
  t.equal(toCents(19.99), 1999)
  t.equal(toCents(0.29), 29)
  t.equal(toCents(4.35), 435)
  t.equal(toCents(36999.99), 3699999)
  t.equal(toCents(12), 1200)
})

t.test('a product body carries the run-tagged SKU and no extra field',
  async (t) => {
    const body = toProductBody({ ...product(1, 'Essence'),
      rating: 4.9, tags: ['x'], images: [] } as DatasetProduct, 'ab12')

    t.strictSame(body, {
      sku: 'SKU-1-AB12',
      title: 'Product 1',
      description: 'A thing',
      category: 'beauty',
      brand: 'Essence',
      priceCents: 999,
      stock: 5
    })
    t.equal(toProductBody(product(2), 'ab12').brand, null)
  })

t.test('brands become slugs fit for a mailbox', async (t) => {
  t.equal(toBrandSlug('Dolce & Gabbana'), 'dolce-gabbana')
  t.equal(toBrandSlug('Furniture Co.'), 'furniture-co')
  t.equal(toBrandSlug('IWC'), 'iwc')
})

t.test('one vendor per brand plus a house vendor for the rest', async (t) => {
  const plans = planVendors([product(1, 'Apple'), product(2), product(3,
    'Apple'), product(4, 'Dolce & Gabbana'), product(5, ' ')], 'r9')

  t.strictSame(plans.map((p) => [p.brand, p.email, p.username,
    p.products.map((x) => x.datasetId)]), [
    ['Apple', 'apple+r9@vendors.example', 'vendor-apple_r9', [1, 3]],
    [null, 'house+r9@vendors.example', 'vendor-house_r9', [2, 5]],
    ['Dolce & Gabbana', 'dolce-gabbana+r9@vendors.example',
      'vendor-dolce-gabbana_r9', [4]]
  ])
})
