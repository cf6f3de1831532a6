/**
 * The reconciler as the server runs it: a pass every interval, on its own,
 * a failed pass reported and the next one run anyway, and nothing more once
 * stopped.
 */
import { randomUUID } from 'node:crypto'

import t from 'tap'

import { handleCommand, loadState } from '../../../src/commands/handle-command.ts'
import type {
  ReconcileReport
} from '../../../src/commands/orders/reconcile-order-sagas.ts'
import {
  startOrderSagaReconciler
} from '../../../src/commands/orders/start-order-saga-reconciler.ts'
import { productSpec } from '../../../src/commands/products/change-product.ts'
import { decideReserve } from '../../../src/commands/products/product-decider.ts'
import { buildTestApp, signUp, TEST_OPERATOR } from '../../helpers/app.ts'
import { listProduct } from '../../helpers/catalogue.ts'
import { waitForHead } from '../../helpers/event-log.ts'
import { overrideStore } from '../../helpers/store-overrides.ts'
import { useFakeClock } from '../../helpers/two-factor.ts'

const GRACE_MS = 60_000
const INTERVAL_MS = 10

const test = await buildTestApp(t)
const clock = useFakeClock(test)
const vendor = await signUp(test, 'vendor')

/** A product with one reservation whose order was never recorded, already
 * past the grace period. */
async function orphanedProduct () {
  const { productId } = await listProduct(test, vendor, { stock: 4 })
  await handleCommand(test.services, TEST_OPERATOR, {
    ...productSpec(productId),
    decide: (state) => decideReserve(state, randomUUID(), 1)
  })
  clock.advance(GRACE_MS / 1000 + 1)
  await waitForHead(test)

  return productId
}

async function stockOf (productId: string) {
  return (await loadState(test.services, productSpec(productId))).state.stock
}

async function until (condition: () => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition never held')
    await sleep(INTERVAL_MS)
  }
}

function sleep (ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

t.test('passes run on their own and release an orphaned reservation', async (t) => {
  const productId = await orphanedProduct()
  const reports: ReconcileReport[] = []
  const errors: unknown[] = []

  const running = startOrderSagaReconciler(test.services, {
    intervalMs: INTERVAL_MS,
    graceMs: GRACE_MS,
    onReport: (report) => reports.push(report),
    onError: (error) => errors.push(error)
  })
  await until(() => reports.some((report) => report.released === 1))
  await until(() => reports.length >= 3)
  await running.stop()

  t.equal(await stockOf(productId), 4)
  t.same(reports.slice(1).map((report) => report.released),
    reports.slice(1).map(() => 0), 'later passes find nothing to do')
  t.same(errors, [])
  const passes = reports.length
  await sleep(INTERVAL_MS * 10)
  t.equal(reports.length, passes, 'no pass after stop')
})

t.test('a failed pass is reported, and the next one runs', async (t) => {
  const productId = await orphanedProduct()
  let reads = 0
  const store = overrideStore(test.services.store, {
    readAll: async (options) => {
      if (++reads === 1) throw new Error('database went away')
      return await test.services.store.readAll(options)
    }
  })
  const reports: ReconcileReport[] = []
  const errors: Error[] = []

  const running = startOrderSagaReconciler({ ...test.services, store }, {
    intervalMs: INTERVAL_MS,
    graceMs: GRACE_MS,
    onReport: (report) => reports.push(report),
    onError: (error) => errors.push(error as Error)
  })
  await until(() => reports.some((report) => report.released === 1))
  await running.stop()

  t.same(errors.map((error) => error.message), ['database went away'])
  t.equal(await stockOf(productId), 4)
})

t.test('stopped before its first pass, it runs none', async (t) => {
  const productId = await orphanedProduct()
  const reports: ReconcileReport[] = []

  const running = startOrderSagaReconciler(test.services, {
    intervalMs: INTERVAL_MS * 5,
    graceMs: GRACE_MS,
    onReport: (report) => reports.push(report)
  })
  await running.stop()
  await sleep(INTERVAL_MS * 10)

  t.same(reports, [])
  t.equal(await stockOf(productId), 3, 'the orphan is left for later')
})
