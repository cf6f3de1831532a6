import { sql } from 'kysely'
import t from 'tap'

import { toCanonicalJson } from '../../src/eventstore/canonical-json.ts'
import type {
  EventStore,
  NewEvent
} from '../../src/eventstore/event-store.ts'
import {
  appendChained,
  computeEventHash,
  MAX_CHAINED_APPEND_ATTEMPTS,
  verifyStream
} from '../../src/eventstore/hash-chain.ts'
import { createPostgresEventStore } from '../../src/eventstore/postgres/postgres-event-store.ts'
import { openTestDatabase } from '../helpers/database.ts'
import { closeBeforeDrop } from './close-before-drop.ts'
import { buildUnsealedEvent, createRunId } from './fixtures.ts'

const database = await openTestDatabase(t)
t.teardown(() => closeBeforeDrop(database))
const { db } = database
const store = createPostgresEventStore(db)
t.teardown(() => store.close())

async function appendChain (stream: string, count = 3) {
  const events = Array.from({ length: count }, (_, index) =>
    buildUnsealedEvent('Renamed', { name: `name ${index}`, index }))
  await appendChained(store, stream, events, 'no_stream')
}

t.test('canonical JSON does not depend on key order', async (t) => {
  const one = { b: 1, a: { d: [1, { y: 2, x: 1 }], c: null }, skip: undefined }
  const other = { a: { c: null, d: [1, { x: 1, y: 2 }] }, b: 1 }

  t.equal(toCanonicalJson(one), toCanonicalJson(other))
  t.equal(toCanonicalJson(other), '{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}')
})

t.test('a hash covers the stream, revision, type, data and metadata',
  async (t) => {
    const { metadata, ...rest } = buildUnsealedEvent('Renamed', { name: 'A' })
    const event = {
      ...rest, stream: 's-1', revision: 0n, metadata: { ...metadata, previousHash: '' }
    }
    const hash = computeEventHash(event)

    t.match(hash, /^[0-9a-f]{64}$/)
    t.not(computeEventHash({ ...event, stream: 's-2' }), hash)
    t.not(computeEventHash({ ...event, revision: 1n }), hash)
    t.not(computeEventHash({ ...event, type: 'Other' }), hash)
    t.not(computeEventHash({ ...event, data: { name: 'B' } }), hash)
    t.not(computeEventHash({
      ...event, metadata: { ...event.metadata, previousHash: 'x' }
    }), hash)
    t.equal(computeEventHash({
      ...event, metadata: { ...event.metadata, hash }
    }), hash, 'the hash field itself is left out')
  })

t.test('a chained stream read back from PostgreSQL verifies', async (t) => {
  const stream = `${createRunId()}-good`
  await appendChain(stream, 5)

  t.same(await verifyStream(store, stream), { ok: true, events: 5 })
  t.same(await verifyStream(store, `${stream}-none`), { ok: true, events: 0 })
})

t.test('data changed in the table is found at its revision', async (t) => {
  const stream = `${createRunId()}-tampered`
  await appendChain(stream)

  await sql`
    update events set data = jsonb_set(data, '{name}', '"Mallory"')
    where stream_id = ${stream} and stream_revision = 1`.execute(db)

  t.match(await verifyStream(store, stream), {
    ok: false, events: 1, brokenAt: 1n, reason: /hash does not match/
  })
})

t.test('an event rehashed after tampering breaks the next link',
  async (t) => {
    const stream = `${createRunId()}-rehashed`
    await appendChain(stream)
    const [, middle] = await store.readStream(stream)
    const forged = { ...middle!, data: { name: 'Mallory', index: 1 } }
    const hash = computeEventHash(forged)

    await sql`
      update events
      set data = ${JSON.stringify(forged.data)}::jsonb,
          metadata = jsonb_set(metadata, '{hash}', to_jsonb(${hash}::text))
      where stream_id = ${stream} and stream_revision = 1`.execute(db)

    t.match(await verifyStream(store, stream), {
      ok: false, events: 2, brokenAt: 2n, reason: /previousHash/
    })
  })

t.test('a deleted event is found as a missing revision', async (t) => {
  const stream = `${createRunId()}-deleted`
  await appendChain(stream)

  await sql`
    delete from events
    where stream_id = ${stream} and stream_revision = 1`.execute(db)

  t.match(await verifyStream(store, stream), {
    ok: false, events: 1, brokenAt: 2n, reason: /revision 2 found where 1/
  })
})

t.test('a chained append under any retries past a competing writer',
  async (t) => {
    const stream = `${createRunId()}-contended`
    await appendChain(stream, 1)
    const racing = raceOnce(store, stream)

    await appendChained(racing, stream, [buildUnsealedEvent('Mine')], 'any')

    t.same((await store.readStream(stream)).map((e) => e.type),
      ['Renamed', 'Interloper', 'Mine'])
    t.same(await verifyStream(store, stream), { ok: true, events: 3 })
  })

t.test('a chained append under any gives up after bounded attempts',
  async (t) => {
    const stream = `${createRunId()}-hopeless`
    await appendChain(stream, 1)
    const racing = raceAlways(store, stream)

    await t.rejects(
      appendChained(racing, stream, [buildUnsealedEvent('Mine')], 'any'),
      { code: 'CR_ERR_EVENTSTORE_WRONG_REVISION' })
    t.equal((await store.readStream(stream)).length,
      1 + MAX_CHAINED_APPEND_ATTEMPTS, 'only the interlopers got in')
  })

t.test('an exact revision that is stale is refused before sealing',
  async (t) => {
    const stream = `${createRunId()}-stale`
    await appendChain(stream, 2)

    await t.rejects(
      appendChained(store, stream, [buildUnsealedEvent('Late')], 0n),
      { code: 'CR_ERR_EVENTSTORE_WRONG_REVISION', expected: 0n, actual: 1n })
  })

/** A store where another chained writer slips an event in just before
 * each of the first `times` appends to the stream. */
function raceOnce (inner: EventStore, stream: string) {
  return interleave(inner, stream, 1)
}

function raceAlways (inner: EventStore, stream: string) {
  return interleave(inner, stream, Number.POSITIVE_INFINITY)
}

function interleave (inner: EventStore, stream: string, times: number) {
  let left = times
  const append = async (
    target: string,
    events: readonly NewEvent[],
    expected: Parameters<EventStore['append']>[2]
  ) => {
    if (target === stream && left > 0) {
      left -= 1
      await appendChained(inner, stream, [buildUnsealedEvent('Interloper')],
        'any')
    }

    return inner.append(target, events, expected)
  }

  const racing: EventStore = {
    name: inner.name,
    append,
    readStream: (target, options) => inner.readStream(target, options),
    readAll: (options) => inner.readAll(options),
    subscribeAll: (options) => inner.subscribeAll(options),
    headPosition: () => inner.headPosition(),
    close: () => inner.close()
  }

  return racing
}
