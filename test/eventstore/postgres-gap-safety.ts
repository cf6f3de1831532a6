/**
 * PostgreSQL-only checks of gap safety, run against a server (PGlite has one
 * connection, so no append can ever be left open beside another).
 */
import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import type { Test } from 'tap'

import type { EventStore } from '../../src/eventstore/event-store.ts'
import type { Database } from '../../src/storage/schema.ts'
import { waitForHead } from './contract.ts'
import { buildEvent, createRunId } from './fixtures.ts'

// An advisory lock key of the test's own, far from the adapter's.
const STALL_CLASS = 777
const STALL_OBJECT = 1

/**
 * Stalls one append after it has taken its position but before it commits
 * (a trigger on `streams` waits for a lock the test holds), commits another
 * append behind it, and checks readers see neither until the first ends.
 */
export async function checkStalledAppendHidesLaterOnes (
  t: Test,
  db: Kysely<Database>,
  store: EventStore
) {
  const run = createRunId()
  await installStallTrigger(db, `${run}-slow`)
  t.teardown(() => removeStallTrigger(db))
  const start = await store.headPosition()

  await db.connection().execute(async (blocker) => {
    await sql`select pg_advisory_lock(${STALL_CLASS}, ${STALL_OBJECT})`
      .execute(blocker)
    const slow = store.append(`${run}-slow`, [buildEvent('Slow')], 'no_stream')
    await waitUntilStalled(db)
    const fast = await store.append(`${run}-fast`, [buildEvent('Fast')],
      'no_stream')

    const seenWhileStalled = await store.readAll({
      afterPosition: start, filter: { streamPrefixes: [run] }
    })
    const headWhileStalled = await store.headPosition()
    await sql`select pg_advisory_unlock(${STALL_CLASS}, ${STALL_OBJECT})`
      .execute(blocker)
    const slowResult = await slow
    await waitForHead(store, fast.position)
    const seenAfter = await store.readAll({
      afterPosition: start, filter: { streamPrefixes: [run] }
    })

    t.ok(slowResult.position < fast.position, 'the stalled append came first')
    t.same(seenWhileStalled, [], 'nothing handed out past the open append')
    t.ok(headWhileStalled < slowResult.position,
      'the head waits for the open append')
    t.same(seenAfter.map((event) => event.type), ['Slow', 'Fast'])
  })
}

/** After concurrent appends: a later position never has an older
 * transaction, the property the readers' xmin bound relies on. */
export async function countOrderInversions (db: Kysely<Database>) {
  const { rows } = await sql<{ inversions: number, events: number }>`
    select count(*) filter (where inverted)::int as inversions,
           count(*)::int as events
    from (
      select transaction_id < lag(transaction_id) over (order by position)
        as inverted
      from events
    ) ordered`.execute(db)

  return rows[0]!
}

async function installStallTrigger (db: Kysely<Database>, stream: string) {
  await sql`
    create function stall_append() returns trigger language plpgsql as $$
    begin
      if new.stream_id = ${sql.lit(stream)} then
        perform pg_advisory_lock_shared(${sql.lit(STALL_CLASS)},
          ${sql.lit(STALL_OBJECT)});
      end if;
      return new;
    end $$`.execute(db)
  await sql`
    create trigger stall_append before insert or update on streams
    for each row execute function stall_append()`.execute(db)
}

async function removeStallTrigger (db: Kysely<Database>) {
  await sql`drop trigger if exists stall_append on streams`.execute(db)
  await sql`drop function if exists stall_append()`.execute(db)
}

async function waitUntilStalled (db: Kysely<Database>) {
  for (;;) {
    const { rows } = await sql<{ waiting: number }>`
      select count(*)::int as waiting from pg_locks
      where locktype = 'advisory' and not granted
        and classid = ${STALL_CLASS} and objid = ${STALL_OBJECT}`.execute(db)
    if (rows[0]?.waiting === 1) return
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
