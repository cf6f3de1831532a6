/**
 * Password login. An unknown email and a wrong password end the same way,
 * with the same error and the same bcrypt work, so neither the answer nor
 * its timing tells whether an account exists. Each failure is a security
 * event (login-failures.ts).
 */
import { randomUUID } from 'node:crypto'

import {
  verifyPassword,
  verifyPasswordAgainstDummy
} from '../../crypto/password-hashing.ts'
import { unauthenticated } from '../command-errors.ts'
import type { CommandContext, CommandServices } from '../command-context.ts'
import { handleCommand, loadState } from '../handle-command.ts'
import { userStream } from './events.ts'
import { recordWrongPassword } from './login-failures.ts'
import {
  issueLoginChallenge,
  type LoginChallenge
} from './two-factor/login-challenge.ts'
import { findUserId, lookupHash } from './user-lookup.ts'
import { evolveUser, initialUserState } from './user-decider.ts'

export interface LoginInput {
  readonly email: string
  readonly password: string
}

export interface Session {
  readonly userId: string
  readonly role: string
  readonly email: string
  readonly tokenId: string
}

const badCredentials = () => unauthenticated('CR_ERR_AUTH_BAD_CREDENTIALS',
  'email or password is incorrect')

export async function logIn (
  services: CommandServices,
  context: CommandContext,
  input: LoginInput
): Promise<Session | LoginChallenge> {
  const hash = lookupHash(services.blindIndexKey, 'email', input.email)
  const userId = await findUserId(services.db, 'email', hash)
  const spec = {
    stream: userStream(userId ?? 'none'),
    initialState: initialUserState,
    evolve: evolveUser,
    reveal: true
  }
  const { state } = userId === undefined
    ? { state: initialUserState }
    : await loadState(services, spec)

  if (state.passwordHash === null || state.erased) {
    await verifyPasswordAgainstDummy(input.password)
    await recordWrongPassword(services, context, undefined)
    throw badCredentials()
  }
  if (!await verifyPassword(input.password, state.passwordHash)) {
    await recordWrongPassword(services, context, state.userId)
    throw badCredentials()
  }

  const tokenId = randomUUID()
  const loggedIn = { ...context, actor: { kind: 'user' as const,
    id: state.userId, role: state.role } }
  // With two-factor login on, the password earns a challenge, not a
  // session (two-factor/log-in-second-factor.ts finishes the login).
  if (state.twoFactor.enabled) {
    return await issueLoginChallenge(services, loggedIn, state.userId)
  }
  await handleCommand(services, loggedIn, {
    ...spec,
    reveal: false,
    decide: () => [{
      type: 'UserLoggedIn' as const,
      data: { userId: state.userId, method: 'password' as const, tokenId }
    }]
  })

  return { userId: state.userId, role: state.role, email: state.email ?? '',
    tokenId }
}
