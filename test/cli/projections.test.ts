/**
 * `projections rebuild` and `projections status` over a shop with users,
 * products and an order: a rebuild leaves each read model as it was, and
 * status reports checkpoint, head and lag as the database holds them.
 */
import type { InjectOptions } from 'fastify'
import t from 'tap'

import { registerUser } from '../../src/commands/users/register-user.ts'
import type { RunningServer } from '../../src/http/server.ts'
import type { Runtime } from '../../src/runtime/open-runtime.ts'
import { newRegistration } from '../helpers/app.ts'
import { newProduct } from '../helpers/catalogue.ts'
import { createCliTarget, STACK_TRACE_LINE } from '../helpers/cli.ts'
import { dumpAllTables } from '../helpers/database-dump.ts'

const PROJECTIONS = ['users', 'products', 'orders']
const READ_MODEL_TABLES = ['public.rm_users', 'public.rm_products',
  'public.rm_orders', 'public.rm_order_lines']
const ADMIN = { email: 'ops.lead@example.com', password: 'Sturdy-Lantern-Fig-42!' }
const LATE_CONTEXT = { actor: { kind: 'cli' as const, id: 'test-operator' },
  correlationId: 'late-registration', client: {} }

const target = await createCliTarget(t)
const admin = await target.run(['users', 'create-admin', '--email',
  ADMIN.email, '--username', 'opslead'], { input: `${ADMIN.password}\n` })
if (admin.code !== 0) throw new Error(`create-admin failed: ${admin.stderr}`)
await target.withServer(seedShop)
const before = await target.withRuntime(readSide)

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
      await registerUser(runtime.services, LATE_CONTEXT, newRegistration())

      return readSide(runtime)
    })
    t.ok(behind.head > before.head)
    const [json, text] = [
      await target.run(['projections', 'status', '--json']),
      await target.run(['projections', 'status'])
    ]

    t.equal(json.code, 0, json.stderr)
    const lag = String(behind.head - before.head)
    t.match(JSON.parse(json.stdout), PROJECTIONS.map((name) => ({
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

// The read-model rows (sorted: a rebuild may store them in another order)
// and the head of the log.
async function readSide (runtime: Runtime) {
  const dumps = await dumpAllTables(runtime.database.db)
  const tables = dumps.filter(({ table }) => READ_MODEL_TABLES.includes(table))
    .map(({ table, rows }) => ({ table, rows: [...rows].sort() }))
  const { head } = await runtime.database.db.selectFrom('events')
    .select((eb) => eb.fn.max('position').as('head'))
    .executeTakeFirstOrThrow()

  return { tables, head: BigInt(head) }
}
