/**
 * Helpers for rate-limit tests: requests from a chosen client address
 * (inject's remoteAddress, the TCP peer), and a clock that tests move by
 * hand, since the in-memory counters read Date.now.
 */
import type { FastifyInstance } from 'fastify'

interface Teardown { teardown(fn: () => unknown): void }

export interface FakeClock {
  advance(ms: number): void
}

/** Shifts Date.now by hand until the test ends. */
export function useFakeClock (t: Teardown): FakeClock {
  const realNow = Date.now
  let offset = 0
  Date.now = () => realNow() + offset
  t.teardown(() => { Date.now = realNow })

  return { advance: (ms) => { offset += ms } }
}

export interface From {
  readonly address: string
  readonly headers?: Record<string, string>
}

/** A login the schema refuses (400) before any password is hashed: it
 * still counts against the login tier's address budget. */
export async function emptyLogin (app: FastifyInstance, from: From) {
  return await app.inject({
    method: 'POST',
    url: '/api/users/login',
    remoteAddress: from.address,
    headers: from.headers ?? {},
    payload: {}
  })
}

export async function loginAs (
  app: FastifyInstance,
  from: From,
  credentials: { email: string, password: string }
) {
  return await app.inject({
    method: 'POST',
    url: '/api/users/login',
    remoteAddress: from.address,
    headers: from.headers ?? {},
    payload: credentials
  })
}

/** Status codes of `count` requests made one after another. */
export async function statusesOf (
  count: number,
  send: (index: number) => Promise<{ statusCode: number }>
) {
  const statuses: number[] = []
  for (let index = 0; index < count; index++) {
    statuses.push((await send(index)).statusCode)
  }

  return statuses
}
