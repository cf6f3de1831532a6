/**
 * The whole load, end to end, through a real server listening on a port:
 * a small slice of the DummyJSON data set written to a temporary folder,
 * on a fresh database (PGlite in a temporary data folder, or a scratch
 * PostgreSQL database when TEST_DATABASE_URL is set).
 */
import t, { type Test } from 'tap'

import { derivePassword } from '../../src/loader/map-user.ts'
import { runLoad } from '../../src/loader/run-load.ts'
import { TEST_DATABASE_URL } from '../helpers/database.ts'
import { writeDatasetSubset, type DatasetSubset } from '../helpers/dataset.ts'
import { freshEnvironment, withLoadServer, type LoadServer } from './load-server.ts'

// Orders, in cart order: 3 (Dior 2 + house 1), 4 (Dior 4), 151 (Glamour
// Beauty 3 + 1, merged), 163 refused (Dior 5 > 4 left), 172 (Essence 2 +
// Dior 1), 189 refused (Dior 4 > 3 left), 209 (user 3 again: house 2).
function expectedFigures ({ stock, houseCents }: DatasetSubset) {
  const unitsSold = 3 + 4 + 4 + 3 + 2

  return {
    vendors: 9,
    products: 9,
    users: 7,
    // Every dataset password is `<username>pass`, which the policy refuses
    // (too short, no capital, digit or special character); one is also over
    // bcrypt's 72 bytes.
    passwordsRefused: 7,
    ordersAccepted: 5,
    ordersRefused: 2,
    refusals: { CR_ERR_ORDER_INSUFFICIENT_STOCK: 2 },
    revenueCents: (2 * 8999 + houseCents) + 4 * 8999 + 4 * 1999 +
      (2 * 999 + 8999) + 2 * houseCents,
    unitsSold,
    remainingStock: stock - unitsSold,
    expectedRemainingStock: stock - unitsSold,
    // one for the projections catching up, seven carts, six customers,
    // nine products
    checks: { passed: 23, failed: 0, failures: [] }
  }
}

t.test('a load through an in-process server replays and checks out',
  async (t) => {
    const subset = await writeDatasetSubset(t)
    const summary = await runLoad({ dir: subset.dir, runId: 'inproc1',
      progress: 'off', env: await freshEnvironment(t) })

    t.match(summary, expectedFigures(subset))
    t.equal(summary.engine, TEST_DATABASE_URL === undefined ? 'pglite' : 'postgres')
    t.equal(summary.runId, 'inproc1')
    t.ok(summary.eventsAppended > 9 + 7 + 4, 'every command appended events')
    t.ok(summary.eventsPerSecond > 0)
  })

t.test('reruns against one server with --url never collide', async (t) => {
  const subset = await writeDatasetSubset(t)

  await withLoadServer(t, (server) => loadTwiceAndSignIn(t, server, subset))
})

async function loadTwiceAndSignIn (
  t: Test,
  server: LoadServer,
  subset: DatasetSubset
) {
  for (const runId of ['first', 'second']) {
    const summary = await runLoad({ dir: subset.dir, url: server.url, runId,
      progress: 'off', env: server.env })
    t.match(summary, expectedFigures(subset), runId)
    t.equal(summary.engine, 'remote')
  }

  const login = await fetch(`${server.url}/api/users/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'emily.johnson+second@x.dummyjson.com',
      password: derivePassword('emilys') })
  })
  t.equal(login.status, 200,
    'the refused password\'s owner signs in with the derived one')
}

t.test('a load into a URL without admin credentials stops clearly',
  async (t) => {
    const subset = await writeDatasetSubset(t)

    await t.rejects(runLoad({ dir: subset.dir, url: 'http://127.0.0.1:1',
      progress: 'off', env: {} }), {
      code: 'CR_ERR_LOADER_ADMIN_CREDENTIALS',
      message: /CLOUDRETAIL_ADMIN_EMAIL and CLOUDRETAIL_ADMIN_PASSWORD/
    })
  })
