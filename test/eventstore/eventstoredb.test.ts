import t from 'tap'

import { connectEventStoreDb } from '../../src/eventstore/eventstoredb/connect-eventstoredb.ts'
import { EsdbEventStore } from '../../src/eventstore/eventstoredb/esdb-event-store.ts'
import { registerEventStoreContract } from './contract.ts'

const EVENTSTORE_URL = process.env.EVENTSTORE_URL || undefined

if (EVENTSTORE_URL === undefined || EVENTSTORE_URL === '') {
  t.skip('EventStoreDB contract: skipped, EVENTSTORE_URL is not set',
    () => undefined)
} else {
  const url = EVENTSTORE_URL
  t.comment('EventStoreDB event store contract')
  registerEventStoreContract(t, async () =>
    new EsdbEventStore(await connectEventStoreDb(url)))
}
