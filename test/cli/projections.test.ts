/**
 * `projections rebuild` and `projections status` over a shop with users,
 * products and an order: a rebuild leaves each read model as it was, and
 * status reports checkpoint, head and lag as the database holds them.
 */
import type { InjectOptions } from 'fastify'
import t from 'tap'

import { registerUser } from '../../src/commands/users/register-user.ts'
import type { RunningServer } from '../../src/http/server.ts'
import { waitForPosition } from '../../src/projections/wait-for-position.ts'
import type { Runtime } from '../../src/runtime/open-runtime.ts'
import { newRegistration, TEST_OPERATOR } from '../helpers/app.ts'
import { newProduct } from '../helpers/catalogue.ts'
import { createCliTarget, STACK_TRACE_LINE } from '../helpers/cli.ts'
import { dumpAllTables } from '../helpers/database-dump.ts'

const PROJECTIONS = ['users', 'products', 'orders']
const READ_MODEL_TABLES = ['public.rm_users', 'public.rm_products',
  'public.rm_orders', 'public.rm_order_lines']
const ADMIN = { email: 'ops.lead@example.com', password: 'Sturdy-Lantern-Fig-42!' }

const target = await createCliTarget(t)
const before = await target.withServer(async (server) => {
  await seedShop(server)
  const { head } = await readSide(server.runtime)
  const caughtUp = await waitForPosition(server.runtime.database.db,
    PROJECTIONS, head, { timeoutMs: 10_000 })
  if (!caughtUp) throw new Error('the projector did not reach the head')

  return readSide(server.runtime)
})

t.test('rebuild <name> rebuilds each projection up to the head', async (t) => {
  for (const name of PROJECTIONS) {
    const result = await target.run(['projections', 'rebuild', name])

    t.equal(result.code, 0, result.stderr)
    t.match(result.stdout, new RegExp(`^rebuilt ${name}: swapped at ` +
      `${before.head}, checkpoint ${before.head}, \\d+ ms\n$`))
  }
})

t.test('the rebuilt read models equal the ones before', async (t) => {
  const after = await target.withRuntime(readSide)

  t.same(after.tables, before.tables)
  t.ok(before.tables.every(({ rows }) => rows.length > 0), 'none is empty')
})

t.test('status reports checkpoint, head and lag of every projection',
  async (t) => {
    // A registration no projector has seen: the head moves on, the
    // checkpoints stay where the rebuilds left them.
    const behind = await target.withRuntime(async (runtime) => {
      await registerUser(runtime.services, TEST_OPERATOR, newRegistration())

      return readSide(runtime)
    })
    t.ok(behind.head > before.head)
    const [json, text] = [
      await target.run(['projections', 'status', '--json']),
      await target.run(['projections', 'status'])
    ]

    t.equal(json.code, 0, json.stderr)
    const lag = String(behind.head - before.head)
    const statuses = JSON.parse(json.stdout)
    t.equal(statuses.length, PROJECTIONS.length)
    t.match(statuses, PROJECTIONS.map((name) => ({
      name,
      checkpoint: String(before.head),
      head: String(behind.head),
      lag,
      state: 'behind',
      active: false,
      rebuildCheckpoint: null
    })))
    t.equal(text.code, 0, text.stderr)
    t.same(text.stdout.split('\n'), [
      'projection  checkpoint  head  lag  state',
      ...PROJECTIONS.map((name) =>
        `${name}  ${before.head}  ${behind.head}  ${lag}  behind`),
      ''
    ])
  })

t.test('an unknown projection is refused by name', async (t) => {
  const result = await target.run(['projections', 'rebuild', 'invoices'])

  t.equal(result.code, 1)
  t.equal(result.stderr, 'cloudretail: no projection is named "invoices"\n')
  t.notMatch(result.stderr, STACK_TRACE_LINE)
})

// The admin lists two products and a customer orders both.
async function seedShop (server: RunningServer) {
  await registerUser(server.runtime.services, TEST_OPERATOR, newRegistration({
    email: ADMIN.email, password: ADMIN.password }), 'admin')
  const adminAuth = await logIn(server, ADMIN)
  const productIds: string[] = []
  for (const product of [newProduct(), newProduct({ priceCents: 250 })]) {
    const listed = await expectStatus(server, 201, { method: 'POST',
      url: '/api/products', headers: adminAuth, payload: product })
    productIds.push(listed.productId)
  }
  const customer = newRegistration()
  await expectStatus(server, 201, { method: 'POST',
    url: '/api/users/register', payload: customer })
  await expectStatus(server, 201, { method: 'POST', url: '/api/orders',
    headers: await logIn(server, customer),
    payload: { lines: productIds.map((productId) => ({ productId,
      quantity: 2 })) } })
}

async function logIn (server: RunningServer,
  who: { email: string, password: string }) {
  const { token } = await expectStatus(server, 200, { method: 'POST',
    url: '/api/users/login',
    payload: { email: who.email, password: who.password } })

  return { authorization: `Bearer ${token as string}` }
}

async function expectStatus (server: RunningServer, status: number,
  request: InjectOptions) {
  const response = await server.app.inject(request)
  if (response.statusCode !== status) {
    throw new Error(`expected ${status}: ${response.statusCode} ${response.body}`)
  }

  return response.json()
}

// The head of the log and the read-model rows (sorted: a rebuild may store
// them in another order).
async function readSide (runtime: Runtime) {
  const dumps = await dumpAllTables(runtime.database.db)
  const tables = dumps.filter(({ table }) => READ_MODEL_TABLES.includes(table))
    .map(({ table, rows }) => ({ table, rows: [...rows].sort() }))
  const { head } = await runtime.database.db.selectFrom('events')
    .select((eb) => eb.fn.max('position').as('head'))
    .executeTakeFirstOrThrow()

  return { tables, head: BigInt(head) }
}
