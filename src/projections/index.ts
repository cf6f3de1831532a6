/**
 * Every projection the system runs, and lookup by name for the ops
 * commands (status, rebuild) that take a name from the command line.
 */
import { ordersProjection } from './orders.ts'
import { productsProjection } from './products.ts'
import type { Projection } from './projection.ts'
import { UnknownProjectionError } from './projection-errors.ts'
import { usersProjection } from './users.ts'

export const ALL_PROJECTIONS: readonly Projection[] = Object.freeze([
  usersProjection,
  productsProjection,
  ordersProjection
])

export const PROJECTION_NAMES = ALL_PROJECTIONS.map((p) => p.name)

/** Throws UnknownProjectionError for a name no projection has. */
export function findProjection (name: string): Projection {
  const projection = ALL_PROJECTIONS.find((p) => p.name === name)
  if (projection === undefined) throw new UnknownProjectionError(name)

  return projection
}
