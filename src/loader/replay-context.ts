/**
 * What every replay phase shares: the API, the admin's session, the run id,
 * how many requests may run at once, where progress goes, and the highest
 * event position any of our commands returned (for read-your-writes).
 */
import { randomBytes } from 'node:crypto'

import type { ApiClient } from './api-client.ts'
import type { Progress } from './progress.ts'

export interface ReplayContext {
  readonly api: ApiClient
  readonly adminToken: string
  readonly runId: string
  readonly concurrency: number
  readonly progress: Progress
  readonly positions: PositionTracker
}

export class PositionTracker {
  private highest = 0n

  note (position: string) {
    const value = BigInt(position)
    if (value > this.highest) this.highest = value
  }

  get last () {
    return this.highest.toString()
  }
}

export interface LoginReply {
  readonly token: string
  readonly user: { readonly userId: string, readonly role: string }
}

export async function logIn (api: ApiClient, email: string, password: string) {
  return api.call<LoginReply>('POST', '/api/users/login', 200,
    { body: { email, password } })
}

/** A password no policy refuses: 20 random characters plus one of each
 * class (upper, lower, digit, special). */
export function createStrongPassword () {
  return `${randomBytes(15).toString('base64url')}Qz8!`
}
