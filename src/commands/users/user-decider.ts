/**
 * The user aggregate as a decider: evolve folds history into state, each
 * decide function turns a command into events or a refusal. Pure: no I/O,
 * no clock (times arrive in the command).
 */
import { conflict, notFound } from '../command-errors.ts'
import type { Address, Consent, Role, UserEvent } from './events.ts'
import {
  evolveTwoFactor,
  initialTwoFactorState,
  type TwoFactorState
} from './two-factor/two-factor-state.ts'

export interface UserState {
  readonly exists: boolean
  readonly userId: string
  readonly role: Role
  readonly erased: boolean
  readonly email: string | null
  readonly passwordHash: string | null
  readonly twoFactor: TwoFactorState
}

export const initialUserState: UserState = {
  exists: false,
  userId: '',
  role: 'customer',
  erased: false,
  email: null,
  passwordHash: null,
  twoFactor: initialTwoFactorState
}

export function evolveUser (state: UserState, event: UserEvent): UserState {
  const twoFactor = evolveTwoFactor(state.twoFactor, event)
  switch (event.type) {
    case 'UserRegistered':
      return {
        exists: true,
        userId: event.data.userId,
        role: event.data.role,
        erased: false,
        email: event.data.email,
        passwordHash: event.data.passwordHash,
        twoFactor
      }
    case 'UserRoleChanged':
      return { ...state, role: event.data.to }
    case 'UserPasswordChanged':
      return { ...state, passwordHash: event.data.passwordHash }
    case 'UserErased':
      return { ...state, erased: true, email: null, passwordHash: null,
        twoFactor }
    default:
      // Logins and the second factor's events (two-factor-state.ts).
      return { ...state, twoFactor }
  }
}

export interface RegisterUser {
  readonly userId: string
  readonly role: Role
  readonly email: string
  readonly username: string
  readonly firstName: string
  readonly lastName: string
  readonly address: Address | null
  readonly passwordHash: string
  readonly consent: Consent
}

export function decideRegister (
  state: UserState,
  command: RegisterUser
): UserEvent[] {
  if (state.exists) {
    throw conflict('CR_ERR_USER_EXISTS', 'this user is already registered')
  }

  return [{ type: 'UserRegistered', data: { ...command } }]
}

export function decideChangeRole (state: UserState, to: Role): UserEvent[] {
  assertActive(state)
  if (state.role === to) return []

  return [{
    type: 'UserRoleChanged',
    data: { userId: state.userId, from: state.role, to }
  }]
}

/** The new hash replaces the old; checking the current password is the
 * command's work, since it needs bcrypt. */
export function decideChangePassword (
  state: UserState,
  passwordHash: string
): UserEvent[] {
  assertActive(state)

  return [{
    type: 'UserPasswordChanged',
    data: { userId: state.userId, passwordHash }
  }]
}

export function decideErase (state: UserState, erasedAt: string): UserEvent[] {
  assertActive(state)

  return [{ type: 'UserErased', data: { userId: state.userId, erasedAt } }]
}

export function assertActive (state: UserState) {
  if (!state.exists || state.erased) {
    throw notFound('CR_ERR_USER_NOT_FOUND', 'no such user')
  }
}
