/**
 * The contract every EventStore adapter passes. An adapter's test file calls
 * registerEventStoreContract with a factory; each subtest opens its own store
 * and closes it at teardown. Tests only read their own streams (run-id
 * prefixes), so a store holding other data passes too.
 */
import type { Test } from 'tap'

import {
  WrongExpectedRevisionError
} from '../../src/eventstore/errors.ts'
import type {
  EventStore,
  RecordedEvent
} from '../../src/eventstore/event-store.ts'
import { appendChained, verifyStream } from '../../src/eventstore/hash-chain.ts'
import { registerLoadContract } from './contract-load.ts'
import {
  buildEvent,
  buildEvents,
  buildUnsealedEvent,
  createRunId
} from './fixtures.ts'

// Bounds the wait for the head (about 30 s), so a stuck head fails a test.
const HEAD_WAIT_ATTEMPTS = 1500
const HEAD_WAIT_PAUSE_MS = 20

export type OpenEventStore = () => Promise<EventStore>

export function registerEventStoreContract (t: Test, open: OpenEventStore) {
  const openStore = async (t: Test) => {
    const store = await open()
    t.teardown(() => store.close())

    return store
  }

  t.test('appended events read back with type, data, metadata and order',
    async (t) => {
      const store = await openStore(t)
      const stream = `${createRunId()}-order`
      const events = [
        buildEvent('OrderPlaced', { lines: [{ sku: 'A', qty: 2 }], n: 1.5 }),
        buildEvent('OrderPaid', { amount: { cents: 1299, currency: 'EUR' } }),
        buildEvent('OrderShipped', { nested: { deep: [true, null, 'x'] } })
      ]

      const result = await store.append(stream, events, 'no_stream')
      const read = await store.readStream(stream)

      t.equal(result.revision, 2n)
      t.same(read.map(summarise), events.map((event, index) => ({
        id: event.metadata.eventId,
        stream,
        revision: BigInt(index),
        type: event.type,
        data: event.data,
        metadata: event.metadata
      })))
      t.ok(read.every((event) => event.recordedAt instanceof Date))
      t.ok(isStrictlyRising(read.map((event) => event.position)))
      t.equal(read[2]?.position, result.position)
    })

  t.test('a stream that does not exist reads as empty', async (t) => {
    const store = await openStore(t)
    const stream = `${createRunId()}-nothing`

    t.same(await store.readStream(stream), [])
    t.same(await store.readStream(stream, { direction: 'backwards' }), [])
  })

  t.test('no_stream accepts a new stream and refuses an existing one',
    async (t) => {
      const store = await openStore(t)
      const stream = `${createRunId()}-new`
      await store.append(stream, [buildEvent()], 'no_stream')

      const error = await rejection(
        store.append(stream, [buildEvent()], 'no_stream'))

      assertConflict(t, error, { stream, expected: 'no_stream', actual: 0n })
    })

  t.test('an exact revision must name the last event', async (t) => {
    const store = await openStore(t)
    const stream = `${createRunId()}-exact`
    await store.append(stream, buildEvents(2), 'no_stream')

    const result = await store.append(stream, [buildEvent()], 1n)
    const stale = await rejection(store.append(stream, [buildEvent()], 1n))
    const missing = await rejection(
      store.append(`${stream}-absent`, [buildEvent()], 0n))

    t.equal(result.revision, 2n)
    assertConflict(t, stale, { stream, expected: 1n, actual: 2n })
    assertConflict(t, missing, {
      stream: `${stream}-absent`,
      expected: 0n,
      actual: 'no_stream'
    })
  })

  t.test('any appends whether or not the stream exists', async (t) => {
    const store = await openStore(t)
    const stream = `${createRunId()}-any`

    const first = await store.append(stream, [buildEvent()], 'any')
    const second = await store.append(stream, buildEvents(2), 'any')

    t.equal(first.revision, 0n)
    t.equal(second.revision, 2n)
    t.equal((await store.readStream(stream)).length, 3)
  })

  t.test('a refused append writes nothing', async (t) => {
    const store = await openStore(t)
    const run = createRunId()
    const stream = `${run}-refused`
    await waitForHead(store,
      (await store.append(stream, buildEvents(2), 'no_stream')).position)
    const streamBefore = await store.readStream(stream)
    const allBefore = await readRun(store, run)

    const error = await rejection(store.append(stream, buildEvents(3), 0n))

    assertConflict(t, error, { stream, expected: 0n, actual: 1n })
    t.same(await store.readStream(stream), streamBefore)
    t.same(await readRun(store, run), allBefore)
  })

  t.test('readStream reads forwards, backwards, from a revision, to a limit',
    async (t) => {
      const store = await openStore(t)
      const stream = `${createRunId()}-pages`
      await store.append(stream, buildEvents(5), 'no_stream')
      const revisions = async (options: Parameters<EventStore['readStream']>[1]) =>
        (await store.readStream(stream, options)).map((e) => e.revision)

      t.same(await revisions({}), [0n, 1n, 2n, 3n, 4n])
      t.same(await revisions({ direction: 'backwards' }), [4n, 3n, 2n, 1n, 0n])
      t.same(await revisions({ fromRevision: 2n }), [2n, 3n, 4n])
      t.same(await revisions({ limit: 2 }), [0n, 1n])
      t.same(await revisions({
        direction: 'backwards', fromRevision: 3n, limit: 2
      }), [3n, 2n])
      t.same(await revisions({ direction: 'backwards', limit: 1 }), [4n])
      t.same(await revisions({ fromRevision: 9n }), [])
    })

  t.test('readAll reads after a position, to a limit, by prefix and type',
    async (t) => {
      const store = await openStore(t)
      const run = createRunId()
      await store.append(`${run}-cart-1`, [buildEvent('Added')], 'no_stream')
      await store.append(`${run}-order-1`, [buildEvent('Placed')], 'no_stream')
      await store.append(`${run}-cart-1`, [buildEvent('Removed')], 0n)
      const last = await store.append(`${run}-cart-2`, [buildEvent('Added')],
        'no_stream')
      await waitForHead(store, last.position)

      const all = await readRun(store, run)
      const types = (events: RecordedEvent[]) => events.map((e) => e.type)
      const page = await store.readAll({
        filter: { streamPrefixes: [run] }, limit: 2
      })
      const rest = await store.readAll({
        filter: { streamPrefixes: [run] },
        afterPosition: page[1]?.position
      })
      const carts = await store.readAll({
        filter: { streamPrefixes: [`${run}-cart-`] }
      })
      const added = await store.readAll({
        filter: { streamPrefixes: [run], eventTypes: ['Added', 'Placed'] }
      })

      t.same(types(all), ['Added', 'Placed', 'Removed', 'Added'])
      t.ok(isStrictlyRising(all.map((event) => event.position)))
      t.same(page.map(summarise), all.slice(0, 2).map(summarise))
      t.same(rest.map(summarise), all.slice(2).map(summarise))
      t.same(carts.map((e) => e.stream),
        [`${run}-cart-1`, `${run}-cart-1`, `${run}-cart-2`])
      t.same(types(added), ['Added', 'Placed', 'Added'])
      t.same(await store.readAll({
        filter: { streamPrefixes: [run] }, afterPosition: all[3]?.position
      }), [])
    })

  t.test('headPosition reaches the newest append', async (t) => {
    const store = await openStore(t)
    const run = createRunId()
    const before = await store.headPosition()

    const result = await store.append(`${run}-head`, buildEvents(2),
      'no_stream')
    await waitForHead(store, result.position)
    const stored = await store.readStream(`${run}-head`)

    t.ok(result.position > before)
    t.same((await readRun(store, run)).map((event) => event.position),
      stored.map((event) => event.position))
  })

  t.test('a subscription catches up, follows live appends, ends on close',
    async (t) => {
      const store = await openStore(t)
      const run = createRunId()
      const stream = `${run}-live`
      const start = await store.headPosition()
      await store.append(stream, buildEvents(3), 'no_stream')
      const subscription = store.subscribeAll({
        afterPosition: start,
        filter: { streamPrefixes: [run] }
      })
      const received: RecordedEvent[] = []
      let caughtUp!: () => void
      const caughtUpOnce = new Promise<void>((resolve) => { caughtUp = resolve })

      const consuming = (async () => {
        for await (const event of subscription) {
          received.push(event)
          if (received.length === 3) caughtUp()
          if (received.length === 5) await subscription.close()
        }
      })()
      await caughtUpOnce
      await store.append(stream, buildEvents(2, 'Later'), 2n)
      await consuming

      t.same(received.map((e) => e.revision), [0n, 1n, 2n, 3n, 4n])
      t.same(received.map((e) => e.type).slice(3), ['Later', 'Later'])
    })

  t.test('closing an idle subscription ends its iteration', async (t) => {
    const store = await openStore(t)
    const run = createRunId()
    const subscription = store.subscribeAll({
      afterPosition: await store.headPosition(),
      filter: { streamPrefixes: [run] }
    })
    const received: RecordedEvent[] = []
    const consuming = (async () => {
      for await (const event of subscription) received.push(event)
    })()

    // Give the subscriber time to catch up and go idle before closing it.
    await new Promise((resolve) => setTimeout(resolve, 100))
    await subscription.close()
    await consuming

    t.same(received, [])
  })

  t.test('chained appends verify as an unbroken chain', async (t) => {
    const store = await openStore(t)
    const stream = `${createRunId()}-chain`
    const encrypted = {
      $enc: 'aes-256-gcm', subject: 'user-1', iv: 'aXY=', tag: 'dGFn', data: 'eA=='
    }

    await appendChained(store, stream,
      [buildUnsealedEvent('Registered', { email: encrypted }),
        buildUnsealedEvent('Renamed', { name: 'Ada' })], 'no_stream')
    const [last] = await store.readStream(stream, {
      direction: 'backwards', limit: 1
    })
    await appendChained(store, stream, [buildUnsealedEvent('Renamed')], 1n,
      last?.metadata.hash)
    await appendChained(store, stream, [buildUnsealedEvent('Closed')], 'any')
    const events = await store.readStream(stream)

    t.same(await verifyStream(store, stream), { ok: true, events: 4 })
    t.equal(events[0]?.metadata.previousHash, '')
    t.same(events.slice(1).map((e) => e.metadata.previousHash),
      events.slice(0, 3).map((e) => e.metadata.hash))
  })

  registerLoadContract(t, openStore)
}

/**
 * Waits until readers may see `position`. On PostgreSQL, readAll holds back
 * commits while any older transaction on the server is still open (gap
 * safety), so it can trail an append that has just returned.
 */
export async function waitForHead (store: EventStore, position: bigint) {
  for (let attempt = 0; attempt < HEAD_WAIT_ATTEMPTS; attempt += 1) {
    if (await store.headPosition() >= position) return
    await new Promise((resolve) => setTimeout(resolve, HEAD_WAIT_PAUSE_MS))
  }
  throw new Error(`head never reached position ${position}`)
}

export function isStrictlyRising (values: readonly bigint[]) {
  return values.every((value, index) =>
    index === 0 || value > values[index - 1]!)
}

/** Every event of one run, in global order. */
export function readRun (store: EventStore, run: string) {
  return store.readAll({ filter: { streamPrefixes: [run] } })
}

function summarise (event: RecordedEvent) {
  const { id, stream, revision, type, data, metadata } = event

  return { id, stream, revision, type, data, metadata }
}

async function rejection (promise: Promise<unknown>) {
  try {
    await promise
  } catch (error) {
    return error
  }

  return undefined
}

function assertConflict (
  t: Test,
  error: unknown,
  expected: Pick<WrongExpectedRevisionError, 'stream' | 'expected' | 'actual'>
) {
  t.ok(error instanceof WrongExpectedRevisionError, 'a typed conflict')
  t.match(error, { code: 'CR_ERR_EVENTSTORE_WRONG_REVISION', ...expected })
}
