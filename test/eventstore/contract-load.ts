/**
 * The load part of the contract: 16 concurrent appenders × 500 events, once
 * on 16 streams of their own and once on 4 shared streams (appenders retry on
 * conflicts), while a live subscriber, started before the first append, must
 * receive every committed event exactly once, in strictly rising global
 * position, with each stream's revisions contiguous.
 */
import type { Test } from 'tap'

import { isWrongExpectedRevision } from '../../src/eventstore/errors.ts'
import type {
  EventStore,
  ExpectedRevision,
  RecordedEvent
} from '../../src/eventstore/event-store.ts'
import { buildEvents, createRunId } from './fixtures.ts'

const APPENDERS = 16
const EVENTS_PER_APPENDER = 500
const EVENTS_PER_APPEND = 10
const SHARED_STREAMS = 4
// A bound on waiting, so a lost event fails the test instead of hanging it.
const SUBSCRIBER_PATIENCE_MS = 120_000

interface LoadPlan {
  readonly name: string
  readonly streamOf: (run: string, appender: number) => string
}

const plans: LoadPlan[] = [
  {
    name: 'distinct streams',
    streamOf: (run, appender) => `${run}-own-${appender}`
  },
  {
    name: 'shared streams',
    streamOf: (run, appender) => `${run}-shared-${appender % SHARED_STREAMS}`
  }
]

export function registerLoadContract (
  t: Test,
  openStore: (t: Test) => Promise<EventStore>
) {
  for (const plan of plans) {
    t.test(`${APPENDERS} concurrent appenders on ${plan.name}: a live ` +
      'subscriber gets every event once, in order', async (t) => {
      const store = await openStore(t)
      await runLoad(t, store, plan)
    })
  }
}

async function runLoad (t: Test, store: EventStore, plan: LoadPlan) {
  const run = createRunId()
  const total = APPENDERS * EVENTS_PER_APPENDER
  const subscription = store.subscribeAll({
    afterPosition: await store.headPosition(),
    filter: { streamPrefixes: [run] }
  })
  const receiving = receive(subscription, total)

  const started = performance.now()
  const outcomes = await Promise.all(
    Array.from({ length: APPENDERS }, (_, appender) =>
      appendAll(store, plan.streamOf(run, appender))))
  const appended = performance.now()
  const received = await receiving
  const finished = performance.now()

  const appendedIds = new Set(outcomes.flatMap((outcome) => outcome.ids))
  const receivedIds = received.map((event) => event.id)
  const conflicts = outcomes.reduce((sum, outcome) => sum + outcome.conflicts, 0)
  t.equal(appendedIds.size, total, 'every append was committed')
  t.equal(received.length, total, 'the subscriber got as many events')
  t.equal(new Set(receivedIds).size, total, 'no event twice')
  t.ok(receivedIds.every((id) => appendedIds.has(id)), 'only appended events')
  t.equal(countOutOfOrder(received), 0, 'positions strictly rising')
  t.same(receivedIds, (await readRunInPages(store, run)).map((e) => e.id),
    'the same order as readAll afterwards')
  await assertStreamsContiguous(t, store, received)

  const seconds = (appended - started) / 1000
  t.comment(`${plan.name}: ${total} events in ${seconds.toFixed(2)} s, ` +
    `${Math.round(total / seconds)} events/s, ` +
    `${Math.round(total / EVENTS_PER_APPEND / seconds)} appends/s, ` +
    `${conflicts} conflicts retried; subscriber done ` +
    `${((finished - appended) / 1000).toFixed(2)} s after the last append`)
}

/** One appender: its events in batches, each at the exact revision it read,
 * read again and retried after a conflict. */
async function appendAll (store: EventStore, stream: string) {
  const ids: string[] = []
  let conflicts = 0
  for (let sent = 0; sent < EVENTS_PER_APPENDER; sent += EVENTS_PER_APPEND) {
    const events = buildEvents(EVENTS_PER_APPEND, 'LoadTested')
    for (;;) {
      try {
        await store.append(stream, events, await readExpected(store, stream))
        break
      } catch (error) {
        if (!isWrongExpectedRevision(error)) throw error
        conflicts += 1
      }
    }
    ids.push(...events.map((event) => event.metadata.eventId))
  }

  return { ids, conflicts }
}

async function readExpected (
  store: EventStore,
  stream: string
): Promise<ExpectedRevision> {
  const [last] = await store.readStream(stream, {
    direction: 'backwards', limit: 1
  })

  return last === undefined ? 'no_stream' : last.revision
}

async function receive (
  subscription: AsyncIterable<RecordedEvent> & { close(): Promise<void> },
  count: number
) {
  const received: RecordedEvent[] = []
  const timer = setTimeout(() => { void subscription.close() },
    SUBSCRIBER_PATIENCE_MS)
  try {
    for await (const event of subscription) {
      received.push(event)
      if (received.length >= count) break
    }
  } finally {
    clearTimeout(timer)
    await subscription.close()
  }

  return received
}

function countOutOfOrder (events: readonly RecordedEvent[]) {
  return events.filter((event, index) =>
    index > 0 && event.position <= events[index - 1]!.position).length
}

async function readRunInPages (store: EventStore, run: string) {
  const events: RecordedEvent[] = []
  for (;;) {
    const page = await store.readAll({
      afterPosition: events.at(-1)?.position,
      limit: 1000,
      filter: { streamPrefixes: [run] }
    })
    events.push(...page)
    if (page.length < 1000) return events
  }
}

/** Each stream's revisions run 0, 1, 2, … both as stored and as received. */
async function assertStreamsContiguous (
  t: Test,
  store: EventStore,
  received: readonly RecordedEvent[]
) {
  const byStream = new Map<string, bigint[]>()
  for (const event of received) {
    byStream.set(event.stream,
      [...(byStream.get(event.stream) ?? []), event.revision])
  }
  let broken = 0
  for (const [stream, revisions] of byStream) {
    const stored = (await store.readStream(stream)).map((e) => e.revision)
    if (!isCount(revisions) || !isCount(stored)) broken += 1
  }
  t.equal(broken, 0, `revisions contiguous in all ${byStream.size} streams`)
}

function isCount (revisions: readonly bigint[]) {
  return revisions.every((revision, index) => revision === BigInt(index))
}
