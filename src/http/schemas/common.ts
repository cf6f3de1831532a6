/**
 * Schema pieces every route shares. Every string and array is bounded, so
 * no field can carry an unbounded payload into an event.
 */
import Type from 'typebox'

export const Uuid = Type.String({ format: 'uuid', maxLength: 36 })

export const IdParams = Type.Object({ id: Uuid },
  { additionalProperties: false })

/** A global event position, as decimal text (it can outgrow a double). */
export const Position = Type.String({ maxLength: 20,
  pattern: '^[0-9]{1,20}$' })

/** A position a client sends, bounded to int8 (and so to 19 digits) by the
 * `position` format of validator-compiler.ts: a pattern could state that
 * range only unreadably. Kept off replies, whose serializer does not know
 * the format. */
export const PositionInput = Type.String({ format: 'position',
  // One past int8's 19 digits: a 20-digit value gets the format's message
  // naming the range, anything longer is cut off before any parsing.
  maxLength: 20 })

export const Problem = Type.Object({
  type: Type.String(),
  title: Type.String(),
  status: Type.Integer(),
  detail: Type.String(),
  code: Type.String(),
  correlationId: Type.String(),
  errors: Type.Optional(Type.Array(Type.Object({
    field: Type.String(),
    message: Type.String()
  })))
})

export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  after: Type.Optional(Type.String({ maxLength: 200,
    pattern: '^[A-Za-z0-9_-]+$' }))
}

/** Plain text for names and titles: no control characters (U+0000 in
 * particular, which PostgreSQL cannot store). */
export const Text = (maxLength: number, minLength = 1) =>
  Type.String({ minLength, maxLength, pattern: '^[^\\u0000-\\u001f\\u007f]*$' })

/** Free text that may span lines. */
export const LongText = (maxLength: number) =>
  Type.String({ minLength: 1, maxLength,
    pattern: '^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*$' })

/** 204 answers carry no body. */
export const NoContent = Type.Null()

export const errorResponses = {
  400: Problem,
  401: Problem,
  403: Problem,
  404: Problem,
  409: Problem
}
