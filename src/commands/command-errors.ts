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

export const unauthenticated = (code: string, message: string) =>
  new DomainError('unauthenticated', code, message)
