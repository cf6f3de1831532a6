import { sql } from 'kysely'
import t from 'tap'

import { readCheckpoint } from '../../src/projections/checkpoint-store.ts'
import { ALL_PROJECTIONS } from '../../src/projections/index.ts'
import { getProduct, listProducts } from '../../src/projections/products.ts'
import { revealNothing } from '../../src/projections/projection.ts'
import { runOnce } from '../../src/projections/projection-runner.ts'
import { rebuildProjection } from '../../src/projections/rebuild-projection.ts'
import {
  openProjectionWorld,
  orderLine,
  orderPlaced,
  productCreated,
  record,
  snapshotReadModels,
  userRegistered
} from '../helpers/projection-fixtures.ts'

type World = Awaited<ReturnType<typeof openProjectionWorld>>

async function seed ({ store }: World) {
  for (let i = 0; i < 12; i++) {
    await record(store, `user-u${i}`, 'UserRegistered',
      userRegistered(`u${i}`, `user${i}`))
    await record(store, `product-p${i}`, 'ProductCreated',
      productCreated(`p${i}`))
    await record(store, `product-p${i}`, 'StockReserved',
      { productId: `p${i}`, orderId: `o${i}`, quantity: 1, stockAfter: 9 })
    await record(store, `order-o${i}`, 'OrderPlaced',
      orderPlaced(`o${i}`, `u${i}`, [orderLine(`p${i}`), orderLine('p0', 2)]))
  }
  await record(store, 'user-u3', 'UserRoleChanged',
    { userId: 'u3', from: 'customer', to: 'admin' })
  await record(store, 'order-o4', 'OrderCancelled', {
    orderId: 'o4', customerId: 'u4', reason: 'r',
    cancelledAt: '2025-02-01T10:00:00.000Z'
  })
  await record(store, 'user-u5', 'UserErased',
    { userId: 'u5', erasedAt: '2025-03-01T00:00:00.000Z' })
}

async function indexNames (world: World) {
  const { rows } = await sql<{ name: string }>`
    select indexname as name from pg_indexes
    where tablename like 'rm\\_%' order by 1`.execute(world.db)

  return rows.map((row) => row.name)
}

t.test('a rebuild yields the same rows, checkpoint and index names as incremental projection', async (t) => {
  const world = await openProjectionWorld(t)
  const { db, store } = world
  await seed(world)
  await runOnce(store, db, ALL_PROJECTIONS, revealNothing, { batchSize: 7 })
  const incremental = await snapshotReadModels(db)
  const indexesBefore = await indexNames(world)

  for (const projection of ALL_PROJECTIONS) {
    const result = await rebuildProjection(store, db, projection.name,
      revealNothing, { batchSize: 5 })
    t.equal(result.checkpoint, await store.headPosition())
  }

  t.same(await snapshotReadModels(db), incremental)
  t.same(await indexNames(world), indexesBefore)
  t.equal(await readCheckpoint(db, 'orders'), await store.headPosition())
  t.equal(await readCheckpoint(db, 'orders__rebuild'), 0n,
    'the rebuild checkpoint is gone')
})

t.test('queries read the old tables during a rebuild and the new ones after the swap, tail included', async (t) => {
  const world = await openProjectionWorld(t)
  const { db, store } = world
  await seed(world)
  await runOnce(store, db, ALL_PROJECTIONS, revealNothing)
  // Make the live table tell itself apart from a rebuilt one.
  await db.updateTable('rm_products').set({ title: 'stale title' })
    .where('product_id', '=', 'p1').execute()
  let duringRebuild: unknown

  const result = await rebuildProjection(store, db, 'products', revealNothing, {
    beforeSwap: async () => {
      duringRebuild = {
        product: await getProduct(db, 'p1'),
        count: (await listProducts(db, { limit: 100 })).items.length
      }
      // An event written while the rebuild runs is the tail it catches up.
      await record(store, 'product-p1', 'StockAdjusted',
        { productId: 'p1', delta: -4, reason: 'audit', stockAfter: 5 })
    }
  })

  t.match(duringRebuild, { product: { title: 'stale title' }, count: 12 })
  t.match(await getProduct(db, 'p1'), { title: 'Product p1', stock: 5 })
  t.ok(result.checkpoint > result.swappedAt, 'the tail moved the checkpoint')
  t.equal(result.checkpoint, await store.headPosition())
})

t.test('an unknown projection name is refused', async (t) => {
  const { db, store } = await openProjectionWorld(t)

  await t.rejects(rebuildProjection(store, db, 'nope', revealNothing),
    { code: 'CR_ERR_PROJECTION_UNKNOWN' })
})
