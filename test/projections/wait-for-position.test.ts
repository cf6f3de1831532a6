import t from 'tap'

import { productsProjection } from '../../src/projections/products.ts'
import { revealNothing } from '../../src/projections/projection.ts'
import { runOnce } from '../../src/projections/projection-runner.ts'
import { waitForPosition } from '../../src/projections/wait-for-position.ts'
import {
  openProjectionWorld,
  productCreated,
  record
} from '../helpers/projection-fixtures.ts'

t.test('waiting answers true once every named checkpoint has reached the position', async (t) => {
  const { db, store } = await openProjectionWorld(t)
  const { position } = await record(store, 'product-p1', 'ProductCreated',
    productCreated('p1'))
  const waiting = waitForPosition(db, ['products'], position,
    { timeoutMs: 10_000, pollMs: 5 })

  await runOnce(store, db, [productsProjection], revealNothing)

  t.equal(await waiting, true)
  t.equal(await waitForPosition(db, ['products'], position - 1n), true,
    'an older position is already reached')
})

t.test('waiting answers false when a named projection stays behind', async (t) => {
  const { db, store } = await openProjectionWorld(t)
  const { position } = await record(store, 'product-p1', 'ProductCreated',
    productCreated('p1'))
  await runOnce(store, db, [productsProjection], revealNothing)

  t.equal(await waitForPosition(db, ['products', 'users'], position,
    { timeoutMs: 60, pollMs: 10 }), false)
  t.equal(await waitForPosition(db, ['products'], position + 1n,
    { timeoutMs: 0 }), false)
})
