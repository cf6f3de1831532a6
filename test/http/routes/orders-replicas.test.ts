/**
 * Two replicas over one database sell the last ten units. Inside one
 * process writers to a stream queue (src/commands/stream-lock.ts), and that
 * queue is module state, so two apps built from the same modules would
 * still share it and never race. Replica B is therefore built from its own
 * copy of src/ (a tsx namespace: a separate module graph, as another
 * process would have), and only the append's expected revision stands
 * between the two.
 */
import { randomUUID } from 'node:crypto'

import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import t from 'tap'
import { register } from 'tsx/esm/api'

import type { CommandServices } from '../../../src/commands/command-context.ts'
import { loadState } from '../../../src/commands/handle-command.ts'
import { productSpec } from '../../../src/commands/products/change-product.ts'
import type { EventStore } from '../../../src/eventstore/event-store.ts'
import {
  buildTestApp,
  registerCustomers,
  signUp
} from '../../helpers/app.ts'
import { listProduct } from '../../helpers/catalogue.ts'
import { overrideStore } from '../../helpers/store-overrides.ts'

type AppModule = typeof import('../../../src/http/app.ts')
type StoreModule =
  typeof import('../../../src/eventstore/postgres/postgres-event-store.ts')
type SessionModule =
  typeof import('../../../src/http/auth/postgres-session-store.ts')
type WaitModule = typeof import('../../../src/projections/wait-for-position.ts')

const CUSTOMERS = 50
const STOCK = 10

const conflicts = { a: 0, b: 0 }
const replicaA = await buildTestApp(t)
const replicaB = await buildReplica()
Object.assign(replicaA.services,
  { store: asReplicaStore(replicaA.services.store, 'a') })
const vendor = await signUp(replicaA, 'vendor')

/** Replica B: the same app over the same database and keys, from its own
 * modules, with no projector of its own (as `serve --no-projector`). */
async function buildReplica (): Promise<FastifyInstance> {
  const graph = register({ namespace: `replica-b-${randomUUID()}` })
  const from = <Module> (path: string) =>
    graph.import(path, import.meta.url) as Promise<Module>
  const { buildApp } = await from<AppModule>('../../../src/http/app.ts')
  const { createPostgresEventStore } = await from<StoreModule>(
    '../../../src/eventstore/postgres/postgres-event-store.ts')
  const { PostgresSessionStore } = await from<SessionModule>(
    '../../../src/http/auth/postgres-session-store.ts')
  const { waitForPosition } = await from<WaitModule>(
    '../../../src/projections/wait-for-position.ts')
  const { db } = replicaA.database
  const store = asReplicaStore(createPostgresEventStore(db), 'b')
  const services: CommandServices = { ...replicaA.services, store }
  const app = await buildApp({
    services,
    sessions: new PostgresSessionStore(db),
    jwtSecret: replicaA.jwtSecret,
    waitForProjections: (names, position) =>
      waitForPosition(db, names, position, { timeoutMs: 5000 })
  }, { rateLimit: { exemptAddresses: ['127.0.0.1'] } })
  // Registered after replica A's teardowns, so it closes first.
  t.teardown(async () => {
    await app.close()
    await store.close()
  })

  return app
}

/**
 * The store as a replica sees it: a product stream's history arrives a few
 * milliseconds after it was read, as over a network, so the other replica
 * can append in between (PGlite's one connection would otherwise run each
 * read and its append back to back); and appends refused for a stale
 * revision are counted.
 */
function asReplicaStore (store: EventStore, replica: 'a' | 'b') {
  const readStream: EventStore['readStream'] = async (stream, options) => {
    const history = await store.readStream(stream, options)
    if (stream.startsWith('product-')) await networkDelay()

    return history
  }
  const append: EventStore['append'] = async (...args) => {
    try {
      return await store.append(...args)
    } catch (error) {
      if ((error as Error).name === 'WrongExpectedRevisionError') {
        conflicts[replica]++
      }
      throw error
    }
  }

  return overrideStore(store, { readStream, append })
}

function networkDelay () {
  const ms = 2 + Math.random() * 5

  return new Promise((resolve) => setTimeout(resolve, ms))
}

function placeOrder (app: FastifyInstance, auth: { authorization: string },
  productId: string) {
  return app.inject({
    method: 'POST',
    url: '/api/orders',
    headers: auth,
    payload: { lines: [{ productId, quantity: 1 }] }
  })
}

function readProduct (app: FastifyInstance, productId: string,
  position: bigint) {
  return app.inject({
    method: 'GET',
    url: `/api/products/${productId}`,
    headers: { 'x-min-position': position.toString() }
  })
}

function highestPosition (responses: LightMyRequestResponse[]) {
  return responses
    .map((r) => BigInt(r.json().position as string))
    .reduce((a, b) => (a > b ? a : b))
}

t.test('fifty customers on two replicas racing for ten units: ten orders, no oversell', async (t) => {
  const { productId } = await listProduct(replicaA, vendor, { stock: STOCK })
  const customers = await registerCustomers(replicaA, CUSTOMERS)

  // Alternate the replicas so both queues fill at once: 25 orders each.
  const responses = await Promise.all(customers.map((auth, index) =>
    placeOrder(index % 2 === 0 ? replicaA.app : replicaB, auth, productId)))

  t.same(responses.filter((r) => r.statusCode >= 500).map((r) => r.body), [],
    'no 5xx')
  const placed = responses.filter((r) => r.statusCode === 201)
  const refused = responses.filter((r) => r.statusCode === 409)
  t.equal(placed.length, STOCK, 'exactly ten orders placed')
  t.equal(refused.length, CUSTOMERS - STOCK, 'every other order refused')
  t.same(new Set(refused.map((r) => r.json().code)),
    new Set(['CR_ERR_ORDER_INSUFFICIENT_STOCK']), 'for lack of stock')
  t.ok(conflicts.a + conflicts.b > 0,
    `the replicas' appends conflicted (${conflicts.a} + ${conflicts.b}) ` +
    'and were decided again')

  const history = await replicaA.services.store
    .readStream(`product-${productId}`)
  const reserved = history.filter((e) => e.type === 'StockReserved')
  t.equal(reserved.length, STOCK, 'ten reservations in the stream')
  t.same(new Set(reserved.map((e) => e.data.orderId)),
    new Set(placed.map((r) => r.json().orderId)),
    'one for each placed order')
  t.equal(history.filter((e) => e.type === 'StockReleased').length, 0)
  const { state } = await loadState(replicaA.services, productSpec(productId))
  t.equal(state.stock, 0, 'the stream state ends at zero')
  t.equal(Object.keys(state.reservations).length, STOCK)

  const position = highestPosition(placed)
  for (const app of [replicaA.app, replicaB]) {
    const product = await readProduct(app, productId, position)
    t.equal(product.headers['x-read-model-stale'], undefined, 'read model caught up')
    t.equal(product.json().stock, 0, 'the read model ends at zero')
  }
})
