import t from 'tap'

import { readCheckpoint } from '../../src/projections/checkpoint-store.ts'
import type { Projection } from '../../src/projections/projection.ts'
import { revealNothing } from '../../src/projections/projection.ts'
import { runOnce } from '../../src/projections/projection-runner.ts'
import { productsProjection } from '../../src/projections/products.ts'
import {
  openProjectionWorld,
  productCreated,
  record
} from '../helpers/projection-fixtures.ts'

/** The products projection, made to fail on its n-th event of a run. */
function failingOn (n: number): Projection {
  let seen = 0

  return {
    ...productsProjection,
    async apply (trx, event) {
      seen += 1
      if (seen === n) throw new Error('simulated crash')
      await productsProjection.apply(trx, event)
    }
  }
}

/** Counts every apply, to tell exactly-once from at-least-once. */
function counting (projection: Projection) {
  const applied: bigint[] = []

  return {
    applied,
    projection: {
      ...projection,
      async apply (trx, event) {
        applied.push(event.position)
        await projection.apply(trx, event)
      }
    } satisfies Projection
  }
}

t.test('runOnce builds the rows and moves the checkpoint to the head', async (t) => {
  const { db, store } = await openProjectionWorld(t)
  await record(store, 'product-p1', 'ProductCreated', productCreated('p1'))
  await record(store, 'product-p1', 'StockAdjusted',
    { productId: 'p1', delta: 5, reason: 'delivery', stockAfter: 15 })
  const head = await store.headPosition()

  const [result] = await runOnce(store, db, [productsProjection], revealNothing)

  t.equal(result?.checkpoint, head)
  t.equal(result?.events, 2)
  t.equal(await readCheckpoint(db, 'products'), head)
  const row = await db.selectFrom('rm_products').selectAll()
    .executeTakeFirstOrThrow()
  t.equal(row.stock, 15)
  t.equal(row.title, 'Product p1')
})

t.test('unknown event types are skipped and still passed by the checkpoint', async (t) => {
  const { db, store } = await openProjectionWorld(t)
  await record(store, 'product-p1', 'ProductCreated', productCreated('p1'))
  await record(store, 'audit-x', 'SomethingNobodyProjects', { any: 'thing' })
  const head = await store.headPosition()
  const { applied, projection } = counting(productsProjection)

  await runOnce(store, db, [projection], revealNothing)

  t.equal(applied.length, 1, 'only the known event reached apply')
  t.equal(await readCheckpoint(db, 'products'), head)
})

t.test('a crash mid-batch leaves rows and checkpoint at the last commit, and a rerun applies each event once', async (t) => {
  const { db, store } = await openProjectionWorld(t)
  const positions: bigint[] = []
  for (let i = 1; i <= 7; i++) {
    const { position } = await record(store, `product-p${i}`, 'ProductCreated',
      productCreated(`p${i}`))
    positions.push(position)
  }

  // Batches of three: events 1-3 commit, the 5th event throws inside the
  // second batch, so events 4 and 5 must not be visible either.
  await t.rejects(
    runOnce(store, db, [failingOn(5)], revealNothing, { batchSize: 3 }),
    { code: 'CR_ERR_PROJECTION_APPLY', projection: 'products' })

  t.equal(await readCheckpoint(db, 'products'), positions[2])
  const afterCrash = await db.selectFrom('rm_products').select('product_id')
    .orderBy('seq').execute()
  t.same(afterCrash.map((r) => r.product_id), ['p1', 'p2', 'p3'])

  const { applied, projection } = counting(productsProjection)
  await runOnce(store, db, [projection], revealNothing, { batchSize: 3 })

  t.same(applied, positions.slice(3), 'the rerun applied only 4..7, once each')
  t.equal(await db.selectFrom('rm_products').select('product_id').execute()
    .then((rows) => rows.length), 7)
  t.equal(await readCheckpoint(db, 'products'), positions[6])
})

t.test('two runners at once still apply every event exactly once', async (t) => {
  const { db, store } = await openProjectionWorld(t)
  for (let i = 1; i <= 20; i++) {
    await record(store, `product-p${i}`, 'ProductCreated',
      productCreated(`p${i}`))
  }
  const first = counting(productsProjection)
  const second = counting(productsProjection)

  await Promise.all([
    runOnce(store, db, [first.projection], revealNothing, { batchSize: 4 }),
    runOnce(store, db, [second.projection], revealNothing, { batchSize: 4 })
  ])

  // A runner whose batch lost the race rolls it back, so count commits via
  // the checkpoint and the rows, not via apply calls.
  t.equal(await readCheckpoint(db, 'products'), await store.headPosition())
  const rows = await db.selectFrom('rm_products').select('product_id')
    .execute()
  t.equal(rows.length, 20)
  t.ok(first.applied.length + second.applied.length >= 20)
})

t.test('a second run with nothing new applies nothing', async (t) => {
  const { db, store } = await openProjectionWorld(t)
  await record(store, 'product-p1', 'ProductCreated', productCreated('p1'))
  await runOnce(store, db, [productsProjection], revealNothing)
  const { applied, projection } = counting(productsProjection)

  const [result] = await runOnce(store, db, [projection], revealNothing)

  t.same(applied, [])
  t.equal(result?.events, 0)
})
