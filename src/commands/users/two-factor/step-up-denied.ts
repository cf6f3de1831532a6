/**
 * A step-up on the second factor that was refused (a wrong code, or any
 * code while the factor is locked), recorded as an AccessDenied security
 * event on the account's security stream, so monitoring sees a session
 * probing codes whichever two-factor command it went through.
 */
import type { CommandContext, CommandServices } from '../../command-context.ts'
import {
  recordSecurityEvent,
  securityAccountStream
} from '../../security/security-events.ts'
import type { SecondFactorMethod } from './events.ts'

export interface StepUpDenial {
  /** The two-factor command refused: confirm_setup, disable, … */
  readonly action: string
  readonly reason: 'second_factor_invalid' | 'second_factor_locked'
  /** How the code was given; null when none was looked at. */
  readonly method: SecondFactorMethod | null
}

export async function recordStepUpDenied (
  services: CommandServices,
  context: CommandContext,
  userId: string,
  denial: StepUpDenial
) {
  await recordSecurityEvent(services, context, securityAccountStream(userId),
    { type: 'AccessDenied', data: { userId, ...denial } })
}
