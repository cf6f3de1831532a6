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
