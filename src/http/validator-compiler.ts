/**
 * Two Ajv instances: bodies are validated strictly (an unknown property is a
 * 400, never silently stripped; no type coercion, so `{"price": "5"}` is
 * refused), while querystrings and path parameters, which are text by
 * nature, are coerced to the declared types. Fastify's default would strip
 * and coerce bodies too (see STACK-NOTES, pitfall 8). Both know the
 * `position` format: decimal text within PostgreSQL's int8.
 */
import { Ajv, type Options } from 'ajv'
import addFormatsModule from 'ajv-formats'
import type { FastifySchemaCompiler } from 'fastify'

import { isPositionText } from '../eventstore/position-text.ts'

// ajv-formats is CommonJS; under ESM its function sits on `default`.
const addFormats = addFormatsModule as unknown as
  typeof addFormatsModule.default

const SHARED: Options = {
  allErrors: false,
  removeAdditional: false,
  useDefaults: true,
  strict: false
}

function buildAjv (options: Options) {
  const ajv = new Ajv({ ...SHARED, ...options })
  addFormats(ajv)
  ajv.addFormat('position', { type: 'string', validate: isPositionText })

  return ajv
}

const bodyAjv = buildAjv({ coerceTypes: false })
const textAjv = buildAjv({ coerceTypes: 'array' })

export const validatorCompiler: FastifySchemaCompiler<any> = ({
  schema,
  httpPart
}) => (httpPart === 'body' ? bodyAjv : textAjv).compile(schema)
