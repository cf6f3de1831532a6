import { createServer, type Server, type Socket } from 'node:net'

import t from 'tap'

import { openEventStore } from '../../src/eventstore/open-event-store.ts'
import { openTestDatabase } from '../helpers/database.ts'
import { closeBeforeDrop } from './close-before-drop.ts'

const database = await openTestDatabase(t)
t.teardown(() => closeBeforeDrop(database))

t.test('without an EventStoreDB URL the PostgreSQL store is chosen',
  async (t) => {
    const store = await openEventStore({ db: database.db })
    t.teardown(() => store.close())

    t.equal(store.name, 'postgres')
  })

t.test('an EventStoreDB URL nobody listens on fails the start', async (t) => {
  const port = await findClosedPort()

  await t.rejects(openEventStore({
    eventStoreUrl: `esdb://127.0.0.1:${port}?tls=false`,
    db: database.db
  }), { code: 'CR_ERR_EVENTSTORE_UNAVAILABLE' })
})

t.test('an EventStoreDB peer that never answers fails the start',
  async (t) => {
    const { server, sockets } = await listenSilently()
    t.teardown(() => closeSilentServer(server, sockets))
    const { port } = server.address() as { port: number }

    await t.rejects(openEventStore({
      eventStoreUrl: `esdb://127.0.0.1:${port}?tls=false`,
      db: database.db,
      probeTimeoutMs: 300
    }), { code: 'CR_ERR_EVENTSTORE_UNAVAILABLE' })
  })

t.test('an invalid EventStoreDB URL fails the start', async (t) => {
  await t.rejects(openEventStore({
    eventStoreUrl: 'not-a-connection-string',
    db: database.db
  }), { code: 'CR_ERR_EVENTSTORE_UNAVAILABLE' })
})

async function findClosedPort () {
  const { server } = await listenSilently()
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))

  return port
}

/** Accepts connections and never writes a byte back. */
async function listenSilently () {
  const sockets = new Set<Socket>()
  const server = createServer((socket) => {
    sockets.add(socket)
    socket.on('error', () => undefined)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))

  return { server, sockets }
}

function closeSilentServer (server: Server, sockets: Set<Socket>) {
  for (const socket of sockets) socket.destroy()

  return new Promise((resolve) => server.close(resolve))
}
