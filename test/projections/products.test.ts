import t from 'tap'

import {
  getProduct,
  listProducts,
  productsProjection
} from '../../src/projections/products.ts'
import { revealNothing } from '../../src/projections/projection.ts'
import { runOnce } from '../../src/projections/projection-runner.ts'
import { collectPages } from '../helpers/collect-pages.ts'
import {
  openProjectionWorld,
  productCreated,
  record
} from '../helpers/projection-fixtures.ts'

t.test('updates and every kind of stock event land in the product row', async (t) => {
  const { db, store } = await openProjectionWorld(t)
  const created = await record(store, 'product-p1', 'ProductCreated',
    productCreated('p1', { brand: 'Acme' }))
  await record(store, 'product-p1', 'ProductUpdated',
    { productId: 'p1', changes: { title: 'Hammer', priceCents: 1999 } })
  await record(store, 'product-p1', 'StockAdjusted',
    { productId: 'p1', delta: -2, reason: 'damaged', stockAfter: 8 })
  await record(store, 'product-p1', 'StockReserved',
    { productId: 'p1', orderId: 'o1', quantity: 3, stockAfter: 5 })
  await record(store, 'product-p1', 'StockReleased',
    { productId: 'p1', orderId: 'o1', quantity: 1, stockAfter: 6 })

  await runOnce(store, db, [productsProjection], revealNothing)

  const product = await getProduct(db, 'p1')
  t.match(product, {
    productId: 'p1',
    vendorId: 'vendor-1',
    sku: 'SKU-p1',
    title: 'Hammer',
    description: 'A thing',
    category: 'tools',
    brand: 'Acme',
    priceCents: 1999,
    stock: 6
  })
  const [createdEvent] = await store.readAll({
    afterPosition: created.position - 1n, limit: 1
  })
  t.equal(product?.createdAt, createdEvent?.metadata.occurredAt)
  t.ok(product !== undefined && product.updatedAt > product.createdAt,
    'updatedAt follows the last event')
  t.equal(await getProduct(db, 'p2'), undefined)
})

t.test('pages of products cover each matching row exactly once, in creation order', async (t) => {
  const { db, store } = await openProjectionWorld(t)
  for (let i = 0; i < 31; i++) {
    await record(store, `product-p${i}`, 'ProductCreated', productCreated(
      `p${i}`, {
        category: i % 2 === 0 ? 'tools' : 'garden',
        vendorId: i % 5 === 0 ? 'vendor-5' : 'vendor-1'
      }))
  }
  await runOnce(store, db, [productsProjection], revealNothing)

  const all = await collectPages((after) => listProducts(db, { limit: 7, after }))
  t.same(all.map((p) => p.productId),
    Array.from({ length: 31 }, (_, i) => `p${i}`))

  const garden = await collectPages((after) =>
    listProducts(db, { category: 'garden', limit: 4, after }))
  t.equal(garden.length, 15)
  t.ok(garden.every((p) => p.category === 'garden'))

  const fromVendor = await collectPages((after) =>
    listProducts(db, { vendorId: 'vendor-5', category: 'tools', after }))
  t.same(fromVendor.map((p) => p.productId), ['p0', 'p10', 'p20', 'p30'])
})

t.test('the page size is clamped to 1..100', async (t) => {
  const { db, store } = await openProjectionWorld(t)
  for (let i = 0; i < 3; i++) {
    await record(store, `product-p${i}`, 'ProductCreated',
      productCreated(`p${i}`))
  }
  await runOnce(store, db, [productsProjection], revealNothing)

  const tiny = await listProducts(db, { limit: 0 })
  t.equal(tiny.items.length, 1)
  t.type(tiny.nextCursor, 'string')
  const last = await listProducts(db, { limit: 500 })
  t.equal(last.items.length, 3)
  t.equal(last.nextCursor, null)
})
