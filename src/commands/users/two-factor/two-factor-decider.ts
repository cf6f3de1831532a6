/**
 * Decisions about a user's second factor. Pure like every decider: the
 * time arrives in the command, the TOTP check is a function of (secret,
 * code, time, last spent step), and backup codes arrive already hashed.
 * Deciding on the stream's state is what makes a code single-use: when two
 * requests spend the same code, the second is decided again on a history
 * that holds the first, and the code no longer matches.
 */
import { timingSafeEqual } from 'node:crypto'

import { matchTotp } from '../../../crypto/totp.ts'
import {
  conflict,
  forbidden,
  invalid,
  unauthenticated
} from '../../command-errors.ts'
import type { UserEvent } from '../events.ts'
import { assertActive, type UserState } from '../user-decider.ts'
import type { SecondFactorMethod } from './events.ts'
import type { TwoFactorState } from './two-factor-state.ts'

/** Wrong codes in a row before the second factor locks. */
export const MAX_CODE_FAILURES = 5
export const LOCKOUT_SECONDS = 15 * 60

/** What the caller offers as the second factor. */
export type SecondFactorProof =
  | { readonly method: 'totp', readonly code: string }
  | { readonly method: 'backup_code', readonly hash: string }

export function decideStartSetup (state: UserState, secret: string): UserEvent[] {
  assertActive(state)
  assertNotEnabled(state.twoFactor)

  return [{ type: 'TwoFactorSetupStarted',
    data: { userId: state.userId, secret } }]
}

export interface ConfirmSetup {
  readonly code: string
  readonly at: Date
  readonly backupCodeHashes: readonly string[]
}

/** The pending secret goes live once a code from it checks out. A wrong
 * code here risks no account, so it is simply refused. */
export function decideConfirmSetup (
  state: UserState,
  command: ConfirmSetup
): UserEvent[] {
  assertActive(state)
  assertNotEnabled(state.twoFactor)
  const { pendingSecret, lastTimeStep } = state.twoFactor
  if (typeof pendingSecret !== 'string') {
    throw conflict('CR_ERR_2FA_NOT_PENDING',
      'start two-factor setup before confirming it')
  }

  const timeStep = matchTotp(pendingSecret, command.code, command.at,
    lastTimeStep)
  if (timeStep === null) {
    throw invalid('CR_ERR_2FA_CODE_INVALID',
      'the code does not match; check the time on your device', 'body.code')
  }

  const userId = state.userId
  return [
    { type: 'TwoFactorEnabled', data: { userId, timeStep } },
    { type: 'BackupCodesGenerated',
      data: { userId, hashes: [...command.backupCodeHashes] } }
  ]
}

export interface LogInWithSecondFactor {
  readonly challengeHash: string
  readonly proof: SecondFactorProof
  readonly at: Date
  readonly tokenId: string
}

/** The second login step: an open challenge of this user plus a fresh
 * code. A wrong code is recorded (it counts towards the lockout); the
 * caller turns that event into a 401. */
export function decideLogInWithSecondFactor (
  state: UserState,
  command: LogInWithSecondFactor
): UserEvent[] {
  const factor = state.twoFactor
  if (!state.exists || state.erased || !factor.enabled ||
    !isOpenChallenge(factor, command.challengeHash, command.at)) {
    throw unauthenticated('CR_ERR_2FA_CHALLENGE_INVALID',
      'the login challenge is invalid or has expired; log in again')
  }
  if (isLocked(factor, command.at)) {
    throw unauthenticated('CR_ERR_2FA_LOCKED',
      'too many wrong codes; try again later')
  }

  const spent = spendProof(state, command.proof, command.at)
  if (spent === undefined) return [rejection(state, command.proof, command.at)]

  return [...spent, { type: 'UserLoggedIn', data: { userId: state.userId,
    method: command.proof.method, tokenId: command.tokenId } }]
}

export interface StepUp {
  readonly proof: SecondFactorProof
  readonly at: Date
}

/** Turning 2FA off takes a current code or an unused backup code (the
 * latter for someone whose device is lost). */
export function decideDisable (state: UserState, command: StepUp): UserEvent[] {
  const spent = decideStepUp(state, command)
  if (spent[0]?.type === 'TwoFactorCodeRejected') return spent

  return [...spent, { type: 'TwoFactorDisabled',
    data: { userId: state.userId } }]
}

/** New backup codes take a current TOTP code: whoever holds only a backup
 * code must not be able to mint ten more. */
export function decideRegenerateBackupCodes (
  state: UserState,
  command: StepUp & { readonly backupCodeHashes: readonly string[] }
): UserEvent[] {
  if (command.proof.method !== 'totp') {
    throw invalid('CR_ERR_2FA_TOTP_REQUIRED',
      'a code from your authenticator is required', 'body.code')
  }
  const spent = decideStepUp(state, command)
  if (spent[0]?.type === 'TwoFactorCodeRejected') return spent

  return [...spent, { type: 'BackupCodesGenerated', data: {
    userId: state.userId, hashes: [...command.backupCodeHashes] } }]
}

export function decideIssueChallenge (
  state: UserState,
  challengeHash: string,
  expiresAt: string
): UserEvent[] {
  assertActive(state)
  if (!state.twoFactor.enabled) {
    throw conflict('CR_ERR_2FA_NOT_ENABLED', 'two-factor login is off')
  }

  return [{ type: 'TwoFactorChallengeIssued',
    data: { userId: state.userId, challengeHash, expiresAt } }]
}

export function isLocked (factor: TwoFactorState, at: Date) {
  return factor.failures >= MAX_CODE_FAILURES && factor.lastFailureAt !== null &&
    at.getTime() < Date.parse(factor.lastFailureAt) + LOCKOUT_SECONDS * 1000
}

function decideStepUp (state: UserState, command: StepUp): UserEvent[] {
  assertActive(state)
  if (!state.twoFactor.enabled) {
    throw conflict('CR_ERR_2FA_NOT_ENABLED', 'two-factor login is off')
  }
  if (isLocked(state.twoFactor, command.at)) {
    throw forbidden('CR_ERR_2FA_LOCKED',
      'too many wrong codes; try again later')
  }

  return spendProof(state, command.proof, command.at) ??
    [rejection(state, command.proof, command.at)]
}

/** The events that spend the proof, or undefined when it does not match. */
function spendProof (
  state: UserState,
  proof: SecondFactorProof,
  at: Date
): UserEvent[] | undefined {
  const { userId } = state
  const factor = state.twoFactor
  if (proof.method === 'totp') {
    if (typeof factor.secret !== 'string') return undefined
    const timeStep = matchTotp(factor.secret, proof.code, at,
      factor.lastTimeStep)

    // matchTotp already skips spent steps; checked again here because a
    // replayed code must never pass on a library's option alone.
    return timeStep === null || timeStep <= factor.lastTimeStep
      ? undefined
      : [{ type: 'TotpCodeAccepted', data: { userId, timeStep } }]
  }

  const index = factor.backupCodes.findIndex((hash) =>
    hash !== null && isSameHex(hash, proof.hash))

  return index < 0
    ? undefined
    : [{ type: 'BackupCodeUsed', data: { userId, index } }]
}

function rejection (
  state: UserState,
  proof: SecondFactorProof,
  at: Date
): UserEvent {
  const method: SecondFactorMethod = proof.method

  return { type: 'TwoFactorCodeRejected',
    data: { userId: state.userId, method, at: at.toISOString() } }
}

function isOpenChallenge (factor: TwoFactorState, hash: string, at: Date) {
  const challenge = factor.challenge

  return challenge !== null && isSameHex(challenge.hash, hash) &&
    at.getTime() < Date.parse(challenge.expiresAt)
}

function assertNotEnabled (factor: TwoFactorState) {
  if (factor.enabled) {
    throw conflict('CR_ERR_2FA_ALREADY_ENABLED',
      'two-factor login is already on; disable it first')
  }
}

function isSameHex (a: string, b: string) {
  const left = Buffer.from(a, 'hex')
  const right = Buffer.from(b, 'hex')

  return left.length === right.length && left.length > 0 &&
    timingSafeEqual(left, right)
}
