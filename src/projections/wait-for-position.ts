/**
 * Read-your-writes: a query that carries the position its caller's command
 * returned waits, briefly, until the read models it reads have reached it.
 */
import type { Kysely } from 'kysely'

import type { Database } from '../storage/schema.ts'
import { readCheckpoints } from './checkpoint-store.ts'

export interface WaitOptions {
  /** Give up after this long; default 2000. */
  readonly timeoutMs?: number
  /** Between checkpoint reads; default 25. */
  readonly pollMs?: number
}

/**
 * True once every named projection's checkpoint is at or past `position`;
 * false when the timeout passes first (callers answer anyway, possibly
 * stale).
 */
export async function waitForPosition (
  db: Kysely<Database>,
  projectionNames: readonly string[],
  position: bigint,
  options: WaitOptions = {}
): Promise<boolean> {
  const timeoutMs = options.timeoutMs ?? 2000
  const pollMs = options.pollMs ?? 25
  const deadline = Date.now() + timeoutMs

  for (;;) {
    if (await haveReached(db, projectionNames, position)) return true
    if (Date.now() + pollMs > deadline) return false
    await sleep(pollMs)
  }
}

async function haveReached (
  db: Kysely<Database>,
  names: readonly string[],
  position: bigint
) {
  const checkpoints = await readCheckpoints(db, names)

  return [...checkpoints.values()].every((checkpoint) => checkpoint >= position)
}

function sleep (ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
