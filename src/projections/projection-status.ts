/**
 * What ops see for each projection: where it is, where the log is, how far
 * apart, and whether a projector is running it.
 */
import type { Kysely } from 'kysely'

import type { EventStore } from '../eventstore/event-store.ts'
import type { Database } from '../storage/schema.ts'
import { readCheckpoints } from './checkpoint-store.ts'
import { ALL_PROJECTIONS } from './index.ts'
import type { Projection } from './projection.ts'
import { isProjectionLocked } from './projection-lock.ts'
import { rebuildCheckpointName } from './rebuild-projection.ts'

export type ProjectionState = 'caught_up' | 'behind' | 'rebuilding'

export interface ProjectionStatus {
  readonly name: string
  readonly version: number
  readonly checkpoint: bigint
  readonly head: bigint
  /** head - checkpoint, in positions: an upper bound on events behind,
   * since positions need not be contiguous. */
  readonly lag: bigint
  readonly state: ProjectionState
  /** Whether some process holds the projection's projector lock. */
  readonly active: boolean
  /** How far a rebuild in progress has got; null when none is. */
  readonly rebuildCheckpoint: bigint | null
}

export async function projectionStatus (
  store: EventStore,
  db: Kysely<Database>,
  projections: readonly Projection[] = ALL_PROJECTIONS
): Promise<ProjectionStatus[]> {
  const head = await store.headPosition()
  const names = projections.map((p) => p.name)
  const rebuildNames = names.map(rebuildCheckpointName)
  const checkpoints = await readCheckpoints(db, names)
  const rebuilds = await readExistingCheckpoints(db, rebuildNames)

  const statuses: ProjectionStatus[] = []
  for (const projection of projections) {
    const checkpoint = checkpoints.get(projection.name) ?? 0n
    const rebuild = rebuilds.get(rebuildCheckpointName(projection.name))
    const lag = head > checkpoint ? head - checkpoint : 0n
    statuses.push({
      name: projection.name,
      version: projection.version,
      checkpoint,
      head,
      lag,
      state: rebuild !== undefined
        ? 'rebuilding'
        : lag === 0n ? 'caught_up' : 'behind',
      active: await isProjectionLocked(db, projection.name),
      rebuildCheckpoint: rebuild ?? null
    })
  }

  return statuses
}

async function readExistingCheckpoints (
  db: Kysely<Database>,
  names: readonly string[]
) {
  const rows = await db.selectFrom('projection_checkpoints')
    .select(['name', 'position'])
    .where('name', 'in', names)
    .execute()

  return new Map(rows.map((row) => [row.name, BigInt(row.position)]))
}
