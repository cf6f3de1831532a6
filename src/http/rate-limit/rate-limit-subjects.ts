/**
 * Who a counter belongs to. Addresses and accounts are keyed by an HMAC,
 * never in plaintext, so neither process memory nor Redis holds a client's
 * IP or email; users by their id, which names no one.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'

import { blindIndex } from '../../crypto/blind-index.ts'
import { lookupHash } from '../../commands/users/user-lookup.ts'
import type { SessionClaims } from '../plugins/app/authentication.ts'
import { clientAddressOf } from './client-address.ts'
import { isSignIn } from './rate-limit-tiers.ts'
import type { KeyKind } from './tier-limiters.ts'

const BEARER = /^Bearer\s+(\S+)$/i

export interface SubjectKeys {
  /** Keys the HMAC over client addresses. */
  readonly addressKey: Buffer
  /** The blind-index key, so an account's counter is its login lookup. */
  readonly blindIndexKey: Buffer
}

export function subjectOf (
  app: FastifyInstance,
  keys: SubjectKeys,
  kind: KeyKind,
  request: FastifyRequest
): string | undefined {
  switch (kind) {
    case 'address':
      return addressSubject(keys, request)
    case 'caller':
      return userSubject(app, request) ?? addressSubject(keys, request)
    case 'user':
      return userSubject(app, request)
    case 'account':
      return isSignIn(request) ? accountSubject(keys, request.body) : undefined
  }
}

function addressSubject (keys: SubjectKeys, request: FastifyRequest) {
  return `address:${blindIndex(keys.addressKey, 'rate-limit-address',
    clientAddressOf(request))}`
}

// The signature and expiry are checked here, the session later by the
// route's guard: a forged token cannot pick someone else's budget, and a
// revoked one is still refused by the route.
function userSubject (app: FastifyInstance, request: FastifyRequest) {
  const token = BEARER.exec(request.headers.authorization ?? '')?.[1]
  if (token === undefined) return undefined

  try {
    const claims = app.jwt.verify<SessionClaims>(token)

    return typeof claims.userId === 'string' && claims.userId !== ''
      ? `user:${claims.userId}`
      : undefined
  } catch {
    return undefined
  }
}

/** The email's blind index, as the login looks the account up. */
function accountSubject (keys: SubjectKeys, body: unknown) {
  if (typeof body !== 'object' || body === null) return undefined

  const email = (body as { email?: unknown }).email
  if (typeof email !== 'string' || email.length > 1024) return undefined

  return `account:${lookupHash(keys.blindIndexKey, 'email', email)}`
}
