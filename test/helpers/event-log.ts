/**
 * The events table read directly, for "nothing was appended" assertions.
 * The store's headPosition is a gap-safe high-water mark and may trail the
 * last committed event while another transaction is open (the projector's,
 * for one), so a test comparing heads could miss an append; these see
 * every committed row.
 */
import type { TestApp } from './app.ts'

/** Position of the last committed event; 0n when there is none. */
export async function lastPosition (test: TestApp): Promise<bigint> {
  const row = await test.database.db.selectFrom('events')
    .select((eb) => eb.fn.max('position').as('last'))
    .executeTakeFirst()

  return BigInt(row?.last ?? 0)
}

/** Every committed event after a position, in order, as stored. */
export async function eventsAfter (test: TestApp, position: bigint) {
  return await test.database.db.selectFrom('events')
    .select(['position', 'stream_id', 'type', 'data', 'metadata'])
    .where('position', '>', position.toString() as never)
    .orderBy('position')
    .execute()
}

/**
 * Waits until the store's gap-safe head has reached the last committed
 * event. The head trails while any older transaction is open anywhere on
 * the PostgreSQL server (transaction ids are server-wide), so on a server
 * shared with other test runs a store read right after a write can miss it.
 */
export async function waitForHead (test: TestApp, timeoutMs = 30_000) {
  const target = await lastPosition(test)
  const deadline = Date.now() + timeoutMs
  while (await test.services.store.headPosition() < target) {
    if (Date.now() > deadline) {
      throw new Error(`the store head did not reach ${target}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

/**
 * Types of the events after a position, security streams left out: what a
 * refused request may append is its AccessDenied (or other) security
 * event, and nothing of the business.
 */
export async function businessEventsAfter (test: TestApp, position: bigint) {
  const events = await eventsAfter(test, position)

  return events.filter((event) => !event.stream_id.startsWith('security-'))
    .map((event) => event.type)
}

/** Types of the security events after a position, in order. */
export async function securityEventsAfter (test: TestApp, position: bigint) {
  const events = await eventsAfter(test, position)

  return events.filter((event) => event.stream_id.startsWith('security-'))
    .map((event) => event.type)
}
