/**
 * The two-factor part of the user aggregate's state and how its events
 * fold into it. src/commands/users/user-decider.ts delegates here, so the
 * user decider stays one pure evolve.
 */
import type { UserEvent } from '../events.ts'
import { NO_TIME_STEP } from '../../../crypto/totp.ts'

export interface LoginChallengeState {
  readonly hash: string
  readonly expiresAt: string
}

export interface TwoFactorState {
  readonly enabled: boolean
  /** Base32 secret handed out and not yet confirmed. Like every personal
   * field it is a string only when the stream was read with reveal, and
   * null once erased. */
  readonly pendingSecret: string | null
  readonly secret: string | null
  /** Highest time step whose code was accepted: it and all before it are
   * spent, which is what makes a code single-use. */
  readonly lastTimeStep: number
  /** Backup-code hashes by index; null once a code is used. */
  readonly backupCodes: readonly (string | null)[]
  /** Wrong codes since the last accepted one, and when the last came. */
  readonly failures: number
  readonly lastFailureAt: string | null
  /** The one open login challenge; a new one replaces it, a login spends
   * it. */
  readonly challenge: LoginChallengeState | null
}

export const initialTwoFactorState: TwoFactorState = {
  enabled: false,
  pendingSecret: null,
  secret: null,
  lastTimeStep: NO_TIME_STEP,
  backupCodes: [],
  failures: 0,
  lastFailureAt: null,
  challenge: null
}

export function evolveTwoFactor (
  state: TwoFactorState,
  event: UserEvent
): TwoFactorState {
  switch (event.type) {
    case 'TwoFactorSetupStarted':
      return { ...state, pendingSecret: event.data.secret }
    case 'TwoFactorEnabled':
      return { ...state, enabled: true, secret: state.pendingSecret,
        pendingSecret: null, lastTimeStep: event.data.timeStep,
        failures: 0, lastFailureAt: null }
    case 'BackupCodesGenerated':
      return { ...state, backupCodes: [...event.data.hashes] }
    case 'BackupCodeUsed':
      return { ...state, failures: 0, lastFailureAt: null,
        backupCodes: state.backupCodes.map((hash, index) =>
          index === event.data.index ? null : hash) }
    case 'TotpCodeAccepted':
      return { ...state, failures: 0, lastFailureAt: null,
        lastTimeStep: Math.max(state.lastTimeStep, event.data.timeStep) }
    case 'TwoFactorCodeRejected':
      return { ...state, failures: state.failures + 1,
        lastFailureAt: event.data.at }
    case 'TwoFactorChallengeIssued':
      return { ...state, challenge: { hash: event.data.challengeHash,
        expiresAt: event.data.expiresAt } }
    case 'UserLoggedIn':
      return { ...state, challenge: null }
    case 'TwoFactorDisabled':
      // Spent steps stay spent, also for a secret enabled later.
      return { ...initialTwoFactorState, lastTimeStep: state.lastTimeStep }
    case 'UserErased':
      return initialTwoFactorState
    default:
      return state
  }
}
