/**
 * Checkpoints: one row per projection holding the position of the last event
 * it has taken into account. The row is written in the same transaction as
 * the read-model change it accounts for.
 */
import { sql, type Kysely } from 'kysely'

import type { Database } from '../storage/schema.ts'

/** 0n when the projection has never run. */
export async function readCheckpoint (
  db: Kysely<Database>,
  name: string
): Promise<bigint> {
  const row = await db.selectFrom('projection_checkpoints')
    .select('position')
    .where('name', '=', name)
    .executeTakeFirst()

  return row === undefined ? 0n : BigInt(row.position)
}

export async function readCheckpoints (
  db: Kysely<Database>,
  names: readonly string[]
): Promise<Map<string, bigint>> {
  const checkpoints = new Map(names.map((name) => [name, 0n]))
  if (names.length === 0) return checkpoints

  const rows = await db.selectFrom('projection_checkpoints')
    .select(['name', 'position'])
    .where('name', 'in', names)
    .execute()
  for (const row of rows) checkpoints.set(row.name, BigInt(row.position))

  return checkpoints
}

/**
 * Reads the checkpoint inside a transaction and holds its row until commit,
 * so two writers of the same projection serialise here. The row is created
 * first when missing, because `for update` cannot lock a row that is not
 * there.
 */
export async function lockCheckpoint (
  trx: Kysely<Database>,
  name: string
): Promise<bigint> {
  await trx.insertInto('projection_checkpoints')
    .values({ name, position: '0' })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute()
  const row = await trx.selectFrom('projection_checkpoints')
    .select('position')
    .where('name', '=', name)
    .forUpdate()
    .executeTakeFirstOrThrow()

  return BigInt(row.position)
}

export async function writeCheckpoint (
  trx: Kysely<Database>,
  name: string,
  position: bigint
) {
  await trx.insertInto('projection_checkpoints')
    .values({ name, position: position.toString() })
    .onConflict((oc) => oc.column('name').doUpdateSet({
      position: position.toString(),
      updated_at: sql`now()`
    }))
    .execute()
}

export async function deleteCheckpoint (trx: Kysely<Database>, name: string) {
  await trx.deleteFrom('projection_checkpoints')
    .where('name', '=', name)
    .execute()
}
