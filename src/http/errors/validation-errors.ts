/**
 * Turns Ajv's error objects into `{ field, message }` pairs that name the
 * offending field the way a client wrote it (`body.address.city`).
 */
import type { FastifySchemaValidationError } from 'fastify/types/schema.js'

import { MAX_POSITION } from '../../eventstore/position-text.ts'

const POSITION_MESSAGE = `must be a decimal position from 0 to ${MAX_POSITION}`

export interface FieldError {
  readonly field: string
  readonly message: string
}

export function toFieldErrors (
  errors: readonly FastifySchemaValidationError[],
  context: string | undefined
): FieldError[] {
  const part = context ?? 'body'

  return errors.map((error) => ({
    field: fieldOf(part, error),
    message: messageOf(error)
  }))
}

function fieldOf (part: string, error: FastifySchemaValidationError) {
  const path = error.instancePath
    .split('/')
    .filter((segment) => segment !== '')
  const params = error.params as Record<string, unknown>
  const named = params.missingProperty ?? params.additionalProperty
  if (typeof named === 'string') path.push(named)

  return [part, ...path].join('.')
}

function messageOf (error: FastifySchemaValidationError) {
  const params = error.params as Record<string, unknown>
  if (params.additionalProperty !== undefined) return 'is not allowed'
  if (params.missingProperty !== undefined) return 'is required'
  // Ajv would say `must match format "position"`, naming no range.
  if (params.format === 'position') return POSITION_MESSAGE

  return error.message ?? 'is invalid'
}
