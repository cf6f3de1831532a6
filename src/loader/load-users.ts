/**
 * Phase two: the shoppers. Every person registers with their own dataset
 * password and signs in. When a password policy refuses that password
 * (400 naming body.password), the person registers with a derived one
 * instead, and the refusal is counted.
 */
import { expectStatus, isFieldRefused, type ApiAnswer } from './api-client.ts'
import type { DatasetUser } from './dataset.ts'
import { derivePassword, toRegistration } from './map-user.ts'
import { logIn, type ReplayContext } from './replay-context.ts'
import { runConcurrently } from './run-concurrently.ts'
import { tagEmail } from './run-tag.ts'

export interface Shopper {
  readonly datasetId: number
  readonly userId: string
  readonly token: string
  /** Whether the dataset password was refused and a derived one used. */
  readonly derivedPassword: boolean
}

export interface LoadedUsers {
  /** Dataset user id → the registered, signed-in person. */
  readonly shoppers: ReadonlyMap<number, Shopper>
  readonly passwordsRefused: number
}

export async function loadUsers (
  context: ReplayContext,
  users: readonly DatasetUser[]
): Promise<LoadedUsers> {
  const phase = context.progress.startPhase('users', users.length)
  const shoppers = await runConcurrently(users, context.concurrency,
    async (user) => {
      const shopper = await registerAndLogIn(context, user)
      phase.advance()

      return shopper
    })
  phase.finish()

  return {
    shoppers: new Map(shoppers.map((s) => [s.datasetId, s])),
    passwordsRefused: shoppers.filter((s) => s.derivedPassword).length
  }
}

async function registerAndLogIn (
  context: ReplayContext,
  user: DatasetUser
): Promise<Shopper> {
  let password = user.password
  let answer = await register(context, user, password)
  const derived = isFieldRefused(answer, 'body.password')
  if (derived) {
    password = derivePassword(user.username)
    answer = await register(context, user, password)
  }
  const registered = expectStatus<{ userId: string, position: string }>(
    answer, 201, `registering dataset user ${user.id}`)
  context.positions.note(registered.position)

  const { token } = await logIn(context.api,
    tagEmail(user.email, context.runId), password)

  return {
    datasetId: user.id,
    userId: registered.userId,
    token,
    derivedPassword: derived
  }
}

function register (
  context: ReplayContext,
  user: DatasetUser,
  password: string
): Promise<ApiAnswer> {
  return context.api.request('POST', '/api/users/register',
    { body: toRegistration(user, context.runId, password) })
}
