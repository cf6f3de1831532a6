/**
 * Page cursors for keyset pagination. A cursor is the sort key of the last
 * row of a page (a row's `seq`), as base64url JSON: opaque to clients, and
 * stable while rows are added, unlike an offset.
 */
import { isPositionText } from '../eventstore/position-text.ts'
import { InvalidCursorError } from './projection-errors.ts'

export const MAX_PAGE_SIZE = 100

export interface Page<Item> {
  readonly items: Item[]
  /** null on the last page. */
  readonly nextCursor: string | null
}

export function encodeCursor (seq: string): string {
  return Buffer.from(JSON.stringify({ seq }), 'utf8').toString('base64url')
}

/** The seq a cursor carries; throws InvalidCursorError for anything else. */
export function decodeCursor (cursor: string): string {
  let decoded: unknown
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    throw new InvalidCursorError()
  }
  const seq = (decoded as { seq?: unknown } | null)?.seq
  if (typeof seq !== 'string' || !isPositionText(seq)) {
    throw new InvalidCursorError()
  }

  return seq
}

/** Clamps a requested page size into 1..MAX_PAGE_SIZE. */
export function toPageSize (limit: number | undefined, fallback = 20): number {
  if (limit === undefined || !Number.isFinite(limit)) return fallback

  return Math.min(MAX_PAGE_SIZE, Math.max(1, Math.trunc(limit)))
}

/**
 * Builds a page from rows fetched with one extra row: the extra one only
 * tells that another page exists.
 */
export function toPage<Row extends { seq: string }, Item> (
  rows: readonly Row[],
  size: number,
  toItem: (row: Row) => Item
): Page<Item> {
  const pageRows = rows.slice(0, size)
  const last = pageRows[pageRows.length - 1]
  const nextCursor = rows.length > size && last !== undefined
    ? encodeCursor(last.seq)
    : null

  return { items: pageRows.map(toItem), nextCursor }
}
