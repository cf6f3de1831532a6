import t from 'tap'

import { revealNothing } from '../../src/projections/projection.ts'
import { runOnce } from '../../src/projections/projection-runner.ts'
import { projectionStatus } from '../../src/projections/projection-status.ts'
import { startProjector } from '../../src/projections/projector.ts'
import { productsProjection } from '../../src/projections/products.ts'
import { usersProjection } from '../../src/projections/users.ts'
import {
  openProjectionWorld,
  productCreated,
  record
} from '../helpers/projection-fixtures.ts'

t.test('status reports checkpoint, head and lag per projection', async (t) => {
  const { db, store } = await openProjectionWorld(t)
  const projections = [usersProjection, productsProjection]
  await record(store, 'product-p1', 'ProductCreated', productCreated('p1'))
  await runOnce(store, db, [productsProjection], revealNothing)
  const caughtUpAt = await store.headPosition()
  await record(store, 'product-p2', 'ProductCreated', productCreated('p2'))
  const head = await store.headPosition()

  const [users, products] = await projectionStatus(store, db, projections)

  t.match(users, {
    name: 'users', checkpoint: 0n, head, lag: head, state: 'behind',
    active: false, rebuildCheckpoint: null
  })
  t.match(products, {
    name: 'products', checkpoint: caughtUpAt, head,
    lag: head - caughtUpAt, state: 'behind'
  })

  await runOnce(store, db, projections, revealNothing)
  const after = await projectionStatus(store, db, projections)
  t.same(after.map((s) => [s.state, s.lag]),
    [['caught_up', 0n], ['caught_up', 0n]])
})

t.test('status shows which projections a running projector holds', async (t) => {
  const { db, store } = await openProjectionWorld(t)
  const projector = await startProjector(store, db, [productsProjection],
    revealNothing, { retryMs: 50 })
  t.teardown(() => projector.stop())
  await waitUntil(() => projector.active.has('products'))

  const statuses = await projectionStatus(store, db,
    [usersProjection, productsProjection])

  t.same(statuses.map((s) => [s.name, s.active]),
    [['users', false], ['products', true]])
  await projector.stop()
  const [, products] = await projectionStatus(store, db,
    [usersProjection, productsProjection])
  t.equal(products?.active, false, 'stopping released the lock')
})

async function waitUntil (condition: () => boolean) {
  for (let i = 0; i < 200 && !condition(); i++) {
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
