/**
 * Domain errors by category. Commands throw these; the HTTP layer maps each
 * category to a status in one place (src/http/errors/problem-details.ts), so
 * the write side never speaks HTTP.
 */
export type ErrorCategory =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'unavailable'

export class DomainError extends Error {
  /** Set by `denyingAccess`: the caller reached for something not theirs. */
  deniesAccess = false

  constructor (
    readonly category: ErrorCategory,
    readonly code: string,
    message: string,
    readonly field?: string
  ) {
    super(message)
    this.name = 'DomainError'
  }
}

export const invalid = (code: string, message: string, field?: string) =>
  new DomainError('invalid', code, message, field)

export const notFound = (code: string, message: string) =>
  new DomainError('not_found', code, message)

export const conflict = (code: string, message: string, field?: string) =>
  new DomainError('conflict', code, message, field)

export const forbidden = (code: string, message: string) =>
  new DomainError('forbidden', code, message)

/**
 * Marks a refusal that guards someone else's data or a role's boundary (a
 * customer reaching for another's order, a vendor for another's product, a
 * customer for an admin route). The answer is unchanged (often the same 404
 * as for something that does not exist, so nothing can be probed), and the
 * HTTP layer records the attempt as an AccessDenied security event.
 */
export function denyingAccess (error: DomainError) {
  error.deniesAccess = true

  return error
}

export const unauthenticated = (code: string, message: string) =>
  new DomainError('unauthenticated', code, message)
