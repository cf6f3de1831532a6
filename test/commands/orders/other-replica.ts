/**
 * The order commands as another replica runs them, over the test app's
 * database and keys. Writers to one stream queue inside a process
 * (src/commands/stream-lock.ts) and that queue is module state, so these
 * come from their own copy of src/ (a tsx namespace: a separate module
 * graph), with their own event store: between them and the test app only
 * the append's expected revision decides, as between two processes.
 */
import { randomUUID } from 'node:crypto'

import { register } from 'tsx/esm/api'

import type { CommandServices } from '../../../src/commands/command-context.ts'
import type { EventStore } from '../../../src/eventstore/event-store.ts'
import type { TestApp } from '../../helpers/app.ts'

type StoreModule =
  typeof import('../../../src/eventstore/postgres/postgres-event-store.ts')
type PlaceOrderModule =
  typeof import('../../../src/commands/orders/place-order.ts')
type ReconcileModule =
  typeof import('../../../src/commands/orders/reconcile-order-sagas.ts')

interface Teardown { teardown(fn: () => unknown): void }

export interface OtherReplica {
  readonly services: CommandServices
  readonly placeOrder: PlaceOrderModule['placeOrder']
  readonly reconcileOrderSagas: ReconcileModule['reconcileOrderSagas']
}

/** `wrapStore` sees the replica's own store, to slow or count it. */
export async function loadOtherReplica (
  t: Teardown,
  test: TestApp,
  wrapStore: (store: EventStore) => EventStore = (store) => store
): Promise<OtherReplica> {
  const graph = register({ namespace: `other-replica-${randomUUID()}` })
  const load = <Module> (path: string) =>
    graph.import(path, import.meta.url) as Promise<Module>
  const { createPostgresEventStore } = await load<StoreModule>(
    '../../../src/eventstore/postgres/postgres-event-store.ts')
  const { placeOrder } = await load<PlaceOrderModule>(
    '../../../src/commands/orders/place-order.ts')
  const { reconcileOrderSagas } = await load<ReconcileModule>(
    '../../../src/commands/orders/reconcile-order-sagas.ts')
  const store = createPostgresEventStore(test.database.db)
  t.teardown(() => store.close())

  // `now` is looked up on each call, so a fake clock set later applies.
  const services: CommandServices = {
    ...test.services,
    store: wrapStore(store),
    now: () => test.services.now()
  }

  return { services, placeOrder, reconcileOrderSagas }
}
