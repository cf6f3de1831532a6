import t from 'tap'

import { readCheckpoint } from '../../src/projections/checkpoint-store.ts'
import { getProduct } from '../../src/projections/products.ts'
import { productsProjection } from '../../src/projections/products.ts'
import type { Projection } from '../../src/projections/projection.ts'
import { revealNothing } from '../../src/projections/projection.ts'
import { startProjector } from '../../src/projections/projector.ts'
import { rebuildProjection } from '../../src/projections/rebuild-projection.ts'
import { usersProjection } from '../../src/projections/users.ts'
import { waitForPosition } from '../../src/projections/wait-for-position.ts'
import {
  openProjectionWorld,
  productCreated,
  record,
  userRegistered
} from '../helpers/projection-fixtures.ts'

const WAIT = { timeoutMs: 10_000, pollMs: 10 }

t.test('the projector catches up, then follows new events live', async (t) => {
  const { db, store } = await openProjectionWorld(t)
  await record(store, 'product-p1', 'ProductCreated', productCreated('p1'))
  const projector = await startProjector(store, db,
    [usersProjection, productsProjection], revealNothing)
  t.teardown(() => projector.stop())

  const { position } = await record(store, 'user-u1', 'UserRegistered',
    userRegistered('u1', 'ada'))

  t.ok(await waitForPosition(db, ['users', 'products'], position, WAIT))
  t.ok(await getProduct(db, 'p1'))
  t.same(await db.selectFrom('rm_users').select('username').execute(),
    [{ username: 'ada' }])
  t.same([...projector.active].sort(), ['products', 'users'])
})

t.test('stop lets the batch in flight commit before it returns', async (t) => {
  const { db, store } = await openProjectionWorld(t)
  let entered: () => void = () => {}
  const applying = new Promise<void>((resolve) => { entered = resolve })
  let release: () => void = () => {}
  const gate = new Promise<void>((resolve) => { release = resolve })
  const slow: Projection = {
    ...productsProjection,
    async apply (trx, event) {
      entered()
      await gate
      await productsProjection.apply(trx, event)
    }
  }
  const projector = await startProjector(store, db, [slow], revealNothing)
  const { position } = await record(store, 'product-p1', 'ProductCreated',
    productCreated('p1'))
  await applying

  let stopped = false
  const stopping = projector.stop().then(() => { stopped = true })
  await new Promise((resolve) => setTimeout(resolve, 50))
  t.equal(stopped, false, 'stop waits for the batch')
  release()
  await stopping

  t.equal(await readCheckpoint(db, 'products'), position)
  t.ok(await getProduct(db, 'p1'))
})

t.test('a second projector stands by while the first is active and takes over when it stops', async (t) => {
  const { db, store } = await openProjectionWorld(t)
  const first = await startProjector(store, db, [productsProjection],
    revealNothing, { retryMs: 20 })
  await waitUntil(() => first.active.has('products'))
  const second = await startProjector(store, db, [productsProjection],
    revealNothing, { retryMs: 20 })
  t.teardown(() => second.stop())

  const one = await record(store, 'product-p1', 'ProductCreated',
    productCreated('p1'))
  t.ok(await waitForPosition(db, ['products'], one.position, WAIT))
  t.equal(second.active.size, 0, 'the standby holds nothing')

  await first.stop()
  await waitUntil(() => second.active.has('products'))
  const two = await record(store, 'product-p2', 'ProductCreated',
    productCreated('p2'))

  t.ok(second.active.has('products'), 'the standby took over')
  t.ok(await waitForPosition(db, ['products'], two.position, WAIT))
  t.ok(await getProduct(db, 'p2'))
})

t.test('a failing projection is reported and retried while the others carry on', async (t) => {
  const { db, store } = await openProjectionWorld(t)
  let failuresLeft = 2
  const flaky: Projection = {
    ...usersProjection,
    async apply (trx, event) {
      if (failuresLeft > 0) {
        failuresLeft -= 1
        throw new Error('transient')
      }
      await usersProjection.apply(trx, event)
    }
  }
  const errors: unknown[] = []
  const projector = await startProjector(store, db,
    [flaky, productsProjection], revealNothing,
    { retryMs: 20, onError: (error) => errors.push(error) })
  t.teardown(() => projector.stop())

  await record(store, 'user-u1', 'UserRegistered', userRegistered('u1', 'ada'))
  const { position } = await record(store, 'product-p1', 'ProductCreated',
    productCreated('p1'))

  t.ok(await waitForPosition(db, ['products', 'users'], position, WAIT))
  t.equal(errors.length, 2)
  t.match(errors[0], { code: 'CR_ERR_PROJECTION_APPLY', projection: 'users' })
  t.equal(await db.selectFrom('rm_users').select('user_id').execute()
    .then((rows) => rows.length), 1)
})

t.test('after a rebuild swaps tables in, the live projector keeps projecting into them', async (t) => {
  const { db, store } = await openProjectionWorld(t)
  const projector = await startProjector(store, db, [productsProjection],
    revealNothing, { retryMs: 20 })
  t.teardown(() => projector.stop())
  const first = await record(store, 'product-p1', 'ProductCreated',
    productCreated('p1'))
  t.ok(await waitForPosition(db, ['products'], first.position, WAIT))

  await rebuildProjection(store, db, productsProjection, revealNothing)
  const next = await record(store, 'product-p2', 'ProductCreated',
    productCreated('p2'))

  t.ok(await waitForPosition(db, ['products'], next.position, WAIT))
  t.ok(await getProduct(db, 'p1'))
  t.ok(await getProduct(db, 'p2'))
})

async function waitUntil (condition: () => boolean) {
  for (let i = 0; i < 500 && !condition(); i++) {
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
