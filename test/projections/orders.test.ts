import t from 'tap'

import {
  getOrder,
  listOrders,
  ordersProjection
} from '../../src/projections/orders.ts'
import { revealNothing } from '../../src/projections/projection.ts'
import { runOnce } from '../../src/projections/projection-runner.ts'
import { collectPages } from '../helpers/collect-pages.ts'
import {
  ADDRESS,
  openProjectionWorld,
  orderLine,
  orderPlaced,
  record
} from '../helpers/projection-fixtures.ts'

t.test('a placed then cancelled order reads back with its lines', async (t) => {
  const { db, store } = await openProjectionWorld(t)
  const lines = [orderLine('p1', 2), { ...orderLine('p2'), vendorId: 'v2' }]
  await record(store, 'order-o1', 'OrderPlaced',
    orderPlaced('o1', 'u1', lines))
  await record(store, 'order-o1', 'OrderCancelled', {
    orderId: 'o1',
    customerId: 'u1',
    reason: 'changed my mind',
    cancelledAt: '2025-02-01T10:00:00.000Z'
  })

  await runOnce(store, db, [ordersProjection], revealNothing)

  const order = await getOrder(db, 'o1')
  t.match(order, {
    orderId: 'o1',
    customerId: 'u1',
    status: 'cancelled',
    totalCents: 3750,
    shippingAddress: ADDRESS,
    cancelledAt: '2025-02-01T10:00:00.000Z'
  })
  t.same(order?.lines, lines)
  t.equal(await getOrder(db, 'o2'), undefined)
})

t.test('erasing a customer nulls the addresses of their orders and keeps the orders', async (t) => {
  const { db, store } = await openProjectionWorld(t)
  await record(store, 'order-o1', 'OrderPlaced',
    orderPlaced('o1', 'u1', [orderLine('p1')]))
  await record(store, 'order-o2', 'OrderPlaced',
    orderPlaced('o2', 'u1', [orderLine('p1')]))
  await record(store, 'order-o3', 'OrderPlaced',
    orderPlaced('o3', 'u2', [orderLine('p1')]))
  await record(store, 'user-u1', 'UserErased',
    { userId: 'u1', erasedAt: '2025-03-01T00:00:00.000Z' })

  await runOnce(store, db, [ordersProjection], revealNothing)

  t.match(await getOrder(db, 'o1'), { shippingAddress: null, totalCents: 1250 })
  t.match(await getOrder(db, 'o2'), { shippingAddress: null })
  t.match(await getOrder(db, 'o3'), { shippingAddress: ADDRESS })
})

t.test('order pages run newest first and cover each match exactly once', async (t) => {
  const { db, store } = await openProjectionWorld(t)
  for (let i = 0; i < 25; i++) {
    const product = i % 4 === 0 ? 'p-rare' : 'p-common'
    const line = { ...orderLine(product), vendorId: i % 2 ? 'v-odd' : 'v-even' }
    await record(store, `order-o${i}`, 'OrderPlaced',
      orderPlaced(`o${i}`, i % 3 === 0 ? 'u-three' : 'u-other', [line]))
  }
  await record(store, 'order-o5', 'OrderCancelled', {
    orderId: 'o5', customerId: 'u-other', reason: 'r',
    cancelledAt: '2025-02-01T10:00:00.000Z'
  })
  await runOnce(store, db, [ordersProjection], revealNothing)

  const all = await collectPages((after) => listOrders(db, { limit: 6, after }))
  t.same(all.map((o) => o.orderId),
    Array.from({ length: 25 }, (_, i) => `o${24 - i}`))
  t.ok(all.every((o) => o.lines.length === 1), 'lines come with each page')

  const ids = async (filter: Parameters<typeof listOrders>[1]) =>
    (await collectPages((after) =>
      listOrders(db, { ...filter, limit: 2, after }))).map((o) => o.orderId)
  t.same(await ids({ productId: 'p-rare' }),
    ['o24', 'o20', 'o16', 'o12', 'o8', 'o4', 'o0'])
  t.same(await ids({ customerId: 'u-three', vendorId: 'v-odd' }),
    ['o21', 'o15', 'o9', 'o3'])
  t.same(await ids({ status: 'cancelled' }), ['o5'])
  t.same(await ids({ customerId: 'nobody' }), [])
})
