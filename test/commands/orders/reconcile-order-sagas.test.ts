/**
 * Order sagas a crash left half done, made for real: the saga's own steps
 * (a reservation decided and appended on the product, a cancellation on
 * the order) run, and the step after them never does. The reconciler must
 * then release or return that stock exactly once, after the grace period
 * and never before, and leave live orders alone. The tests share one app
 * and each leaves nothing unsettled behind, so every pass's counts are the
 * test's own.
 */
import { randomUUID } from 'node:crypto'

import t from 'tap'

import type { CommandContext } from '../../../src/commands/command-context.ts'
import { handleCommand, loadState } from '../../../src/commands/handle-command.ts'
import { orderStream } from '../../../src/commands/orders/events.ts'
import {
  decideCancel,
  orderSpec
} from '../../../src/commands/orders/order-decider.ts'
import { placeOrder } from '../../../src/commands/orders/place-order.ts'
import {
  createOrderSagaReconciler,
  reconcileOrderSagas,
  RECONCILER_ACTOR
} from '../../../src/commands/orders/reconcile-order-sagas.ts'
import { productSpec } from '../../../src/commands/products/change-product.ts'
import {
  decideRelease,
  decideReserve
} from '../../../src/commands/products/product-decider.ts'
import type { EventStore } from '../../../src/eventstore/event-store.ts'
import { buildTestApp, signUp, type TestApp } from '../../helpers/app.ts'
import { listProduct } from '../../helpers/catalogue.ts'
import { waitForHead } from '../../helpers/event-log.ts'
import { overrideStore } from '../../helpers/store-overrides.ts'
import { useFakeClock, type FakeClock } from '../../helpers/two-factor.ts'
import { loadOtherReplica } from './other-replica.ts'

const GRACE_MS = 60_000
const GRACE_SECONDS = GRACE_MS / 1000

interface Shop {
  readonly test: TestApp
  readonly clock: FakeClock
  readonly customer: Awaited<ReturnType<typeof signUp>>
  readonly context: CommandContext
  /** A product listed through the API with this much stock. */
  list (stock: number): Promise<string>
  /** The saga's first step, and then the process dies. */
  reserveThenCrash (orderId: string, productId: string, quantity: number):
  Promise<void>
  /** One reconciler pass over the log as it stands. */
  reconcile (): ReturnType<typeof reconcileOrderSagas>
}

async function openShop (): Promise<Shop> {
  const test = await buildTestApp(t)
  const clock = useFakeClock(test)
  const vendor = await signUp(test, 'vendor')
  const customer = await signUp(test)
  const context: CommandContext = {
    actor: { kind: 'user', id: customer.userId, role: 'customer' },
    correlationId: `crashed-${randomUUID()}`,
    client: {}
  }

  return {
    test,
    clock,
    customer,
    context,
    list: async (stock) => (await listProduct(test, vendor, { stock }))
      .productId,
    async reserveThenCrash (orderId, productId, quantity) {
      await handleCommand(test.services, context, {
        ...productSpec(productId),
        decide: (state) => decideReserve(state, orderId, quantity)
      })
    },
    async reconcile () {
      await waitForHead(test)

      return await reconcileOrderSagas(test.services, { graceMs: GRACE_MS })
    }
  }
}

const shop = await openShop()

async function productState (productId: string) {
  return (await loadState(shop.test.services, productSpec(productId))).state
}

async function productEvents (productId: string, type: string) {
  const history = await shop.test.services.store
    .readStream(`product-${productId}`)

  return history.filter((event) => event.type === type)
}

async function orderEvents (orderId: string) {
  return await shop.test.services.store.readStream(orderStream(orderId))
}

t.test('a reservation whose order was never recorded is released after the grace period, not before', async (t) => {
  const productId = await shop.list(5)
  const orderId = randomUUID()
  await shop.reserveThenCrash(orderId, productId, 2)
  // One reconciler across the passes, as the server keeps it.
  const reconciler = createOrderSagaReconciler(shop.test.services,
    { graceMs: GRACE_MS })
  const pass = async () => {
    await waitForHead(shop.test)
    return await reconciler.reconcile()
  }

  t.match(await pass(), { released: 0, abandoned: 0, waiting: 1 }, 'at once')
  shop.clock.advance(GRACE_SECONDS - 1)
  t.match(await pass(), { released: 0, abandoned: 0, waiting: 1 },
    'a second before the grace period ends')
  t.equal((await productState(productId)).stock, 3, 'still held')
  t.same(await orderEvents(orderId), [], 'the order stream untouched')

  shop.clock.advance(2)
  t.match(await pass(), { released: 1, abandoned: 1, waiting: 0 })

  const state = await productState(productId)
  t.equal(state.stock, 5, 'the stock is back')
  t.same(state.reservations, {})
  const [reserved] = await productEvents(productId, 'StockReserved')
  const released = await productEvents(productId, 'StockReleased')
  t.equal(released.length, 1)
  t.match(released[0], {
    data: { productId, orderId, quantity: 2, stockAfter: 5 },
    metadata: { actor: RECONCILER_ACTOR,
      causationId: reserved!.metadata.eventId }
  }, 'released by the reconciler, caused by the reservation')
  const order = await orderEvents(orderId)
  t.same(order.map((e) => e.type), ['OrderAbandoned'],
    'the order is given up on its own stream first')
  t.match(order[0], { data: { orderId }, metadata: { actor: RECONCILER_ACTOR } })

  const product = await shop.test.app.inject({
    method: 'GET',
    url: `/api/products/${productId}`,
    headers: { 'x-min-position': released[0]!.position.toString() }
  })
  t.equal(product.json().stock, 5, 'the read model shows it back')
  t.match(await pass(), { released: 0, abandoned: 0, waiting: 0 },
    'nothing is left to do')
})

t.test('live orders are untouched, however old, while an orphan beside them is released once', async (t) => {
  const productId = await shop.list(20)
  const orphan = randomUUID()
  await shop.reserveThenCrash(orphan, productId, 2)
  shop.clock.advance(GRACE_SECONDS + 1)

  const [reports, responses] = await Promise.all([
    Promise.all([shop.reconcile(), shop.reconcile(), shop.reconcile()]),
    Promise.all(Array.from({ length: 10 }, () => shop.test.app.inject({
      method: 'POST',
      url: '/api/orders',
      headers: shop.customer.auth,
      payload: { lines: [{ productId, quantity: 1 }] }
    })))
  ])

  t.same(responses.map((r) => r.statusCode), Array(10).fill(201),
    'every live order placed')
  t.equal(reports.reduce((sum, r) => sum + r.released, 0), 1,
    'the orphan released once between three passes')
  const placed = responses.map((r) => r.json().orderId as string)
  let state = await productState(productId)
  t.same(Object.keys(state.reservations).sort(), [...placed].sort(),
    'the live orders still hold their stock')
  t.equal(state.stock, 10)

  // Placed orders are settled: age alone never releases their stock.
  shop.clock.advance(10 * GRACE_SECONDS)
  t.match(await shop.reconcile(), { released: 0, returned: 0, abandoned: 0 })
  state = await productState(productId)
  t.equal(state.stock, 10)
  t.equal(Object.keys(state.reservations).length, 10)
  for (const orderId of placed) {
    t.same((await orderEvents(orderId)).map((e) => e.type),
      ['OrderPlaced'])
  }
})

t.test('a writer on another replica that stalls past the grace period gets its order refused, not oversold', async (t) => {
  const productId = await shop.list(3)
  const gate = gateOrderAppends()
  const other = await loadOtherReplica(t, shop.test, gate.wrap)

  const stalled = other.placeOrder(other.services, shop.context,
    shop.customer.userId, { lines: [{ productId, quantity: 2 }] })
    .then(() => 'placed', (error: { code?: string }) => error.code)
  await gate.reached
  t.match(await shop.reconcile(), { released: 0, waiting: 1 },
    'in flight within the grace period: left alone')
  t.equal((await productState(productId)).stock, 1)

  shop.clock.advance(GRACE_SECONDS + 1)
  t.match(await shop.reconcile(), { released: 1, abandoned: 1 })
  t.equal((await productState(productId)).stock, 3)
  gate.open()

  t.equal(await stalled, 'CR_ERR_COMMAND_CONCURRENT_CHANGE',
    'the late order is refused')
  const [reserved] = await productEvents(productId, 'StockReserved')
  const orderId = reserved!.data.orderId as string
  t.same((await orderEvents(orderId)).map((e) => e.type),
    ['OrderAbandoned'], 'never placed')
  t.equal((await productEvents(productId, 'StockReleased')).length, 1,
    'released once, by whichever got there first')
  t.equal((await productState(productId)).stock, 3)
})

t.test('running twice, or on two replicas at once, releases each reservation once', async (t) => {
  const [kettle, lamp] = [await shop.list(4), await shop.list(4)]
  const both = randomUUID()
  const single = randomUUID()
  await shop.reserveThenCrash(both, kettle, 1)
  await shop.reserveThenCrash(both, lamp, 2)
  await shop.reserveThenCrash(single, kettle, 3)
  const other = await loadOtherReplica(t, shop.test)
  shop.clock.advance(GRACE_SECONDS + 1)
  await waitForHead(shop.test)

  const reports = await Promise.all([
    reconcileOrderSagas(shop.test.services, { graceMs: GRACE_MS }),
    other.reconcileOrderSagas(other.services, { graceMs: GRACE_MS })
  ])
  const again = await shop.reconcile()

  t.equal(reports[0].released + reports[1].released, 3,
    'three reservations released between the two')
  t.equal(reports[0].abandoned + reports[1].abandoned, 2)
  t.same(reports.map((r) => r.failed), [0, 0])
  t.match(again, { released: 0, abandoned: 0, waiting: 0 }, 'then nothing')
  for (const productId of [kettle, lamp]) {
    const state = await productState(productId)
    t.equal(state.stock, 4)
    t.same(state.reservations, {})
  }
  t.equal((await productEvents(kettle, 'StockReleased')).length, 2)
  t.equal((await productEvents(lamp, 'StockReleased')).length, 1)
  for (const orderId of [both, single]) {
    t.same((await orderEvents(orderId)).map((e) => e.type),
      ['OrderAbandoned'], 'abandoned once')
  }
})

t.test('a refusal whose releases stopped part way is finished', async (t) => {
  const [first, second] = [await shop.list(5), await shop.list(5)]
  const orderId = randomUUID()
  await shop.reserveThenCrash(orderId, first, 1)
  await shop.reserveThenCrash(orderId, second, 1)
  // The refusal released the first reservation, then the process died.
  await handleCommand(shop.test.services, shop.context, {
    ...productSpec(first),
    decide: (state) => decideRelease(state, orderId)
  })
  shop.clock.advance(GRACE_SECONDS + 1)

  t.match(await shop.reconcile(), { released: 1, abandoned: 1 })
  t.equal((await productEvents(first, 'StockReleased')).length, 1)
  t.equal((await productEvents(second, 'StockReleased')).length, 1)
  t.equal((await productState(first)).stock, 5)
  t.equal((await productState(second)).stock, 5)
})

t.test('a cancellation that crashed before returning the stock gets it back once', async (t) => {
  const [mug, pot] = [await shop.list(6), await shop.list(6)]
  const order = async () => (await placeOrder(shop.test.services,
    shop.context, shop.customer.userId, { lines: [
      { productId: mug, quantity: 2 }, { productId: pot, quantity: 1 }] }))
    .orderId
  const crashed = await order()
  const cancelledNormally = await order()
  // The cancellation's first step; the releases after it never run.
  await handleCommand(shop.test.services, shop.context, {
    ...orderSpec(crashed),
    decide: (state) => decideCancel(state,
      { userId: shop.customer.userId, isAdmin: false }, 'crash test',
      shop.test.services.now().toISOString())
  })
  const cancel = await shop.test.app.inject({
    method: 'POST',
    url: `/api/orders/${cancelledNormally}/cancel`,
    headers: shop.customer.auth,
    payload: { reason: 'no longer needed' }
  })
  t.equal(cancel.statusCode, 200)

  t.match(await shop.reconcile(), { returned: 0, waiting: 2 },
    'within the grace period: left alone')
  t.equal((await productState(mug)).stock, 4, 'the crashed order still holds 2')

  shop.clock.advance(GRACE_SECONDS + 1)
  t.match(await shop.reconcile(), { returned: 2, released: 0, abandoned: 0 },
    'the crashed cancellation gets its two lines back')
  t.match(await shop.reconcile(), { returned: 0 }, 'and only once')

  for (const productId of [mug, pot]) {
    const state = await productState(productId)
    t.equal(state.stock, 6, 'all the stock is back')
    t.same(state.reservations, {})
    const released = await productEvents(productId, 'StockReleased')
    t.same(released.map((e) => e.data.orderId).sort(),
      [crashed, cancelledNormally].sort(), 'one release per order')
  }
  const [, cancelled] = await orderEvents(crashed)
  const returned = (await productEvents(mug, 'StockReleased'))
    .find((e) => e.data.orderId === crashed)!
  t.match(returned.metadata, { actor: RECONCILER_ACTOR,
    causationId: cancelled!.metadata.eventId }, 'caused by the cancellation')
})

/** Holds the other replica's order appends until opened: the writer has
 * reserved its stock and stalls before recording the order. */
function gateOrderAppends () {
  let open!: () => void
  let reached!: () => void
  const opened = new Promise<void>((resolve) => { open = resolve })
  const arrived = new Promise<void>((resolve) => { reached = resolve })
  const wrap = (store: EventStore) => overrideStore(store, {
    append: async (stream, events, expected) => {
      if (stream.startsWith('order-')) {
        reached()
        await opened
      }
      return await store.append(stream, events, expected)
    }
  })

  return { wrap, open, reached: arrived }
}
