/**
 * The second login step: the challenge from the password step plus a TOTP
 * code or a backup code give the session. Spending the code and logging in
 * are one append, so of two requests with the same code (or backup code)
 * exactly one wins: the other is decided again on the winner's history.
 * Every refusal is a LoginFailed security event: on the account when the
 * challenge was its open one, and otherwise in the day's stream only.
 */
import { randomUUID } from 'node:crypto'

import type { CommandContext, CommandServices } from '../../command-context.ts'
import { DomainError, unauthenticated } from '../../command-errors.ts'
import { handleCommand, loadState } from '../../handle-command.ts'
import { raiseLoginAlertIfDue } from '../login-failures.ts'
import {
  recordSecurityEvent,
  securityAccountStream,
  securityDayStream
} from '../../security/security-events.ts'
import type { Session } from '../log-in.ts'
import { parseChallenge } from './login-challenge.ts'
import { toProof, type TypedProof } from './manage-two-factor.ts'
import { userSpec } from './set-up-two-factor.ts'
import { decideLogInWithSecondFactor } from './two-factor-decider.ts'

export type SecondFactorInput = TypedProof & { readonly challenge: string }

export async function logInWithSecondFactor (
  services: CommandServices,
  context: CommandContext,
  input: SecondFactorInput
): Promise<Session> {
  const parsed = parseChallenge(input.challenge)
  if (parsed === undefined) throw badChallenge()

  const spec = userSpec(parsed.userId)
  const { state } = await loadState(services, spec)
  const proof = toProof(services, parsed.userId, input)
  const tokenId = randomUUID()
  const active = state.exists && !state.erased
  const asUser = active
    ? { ...context, actor: { kind: 'user' as const, id: state.userId,
        role: state.role } }
    : context
  const at = services.now()

  try {
    const outcome = await handleCommand(services, asUser, {
      ...spec,
      decide: (current) => decideLogInWithSecondFactor(current,
        { challengeHash: parsed.hash, proof, at, tokenId })
    })
    if (outcome.events.some((event) => event.type === 'TwoFactorCodeRejected')) {
      throw unauthenticated('CR_ERR_2FA_CODE_INVALID', 'the code is not valid')
    }

    return { userId: outcome.state.userId, role: outcome.state.role,
      email: outcome.state.email ?? '', tokenId }
  } catch (error) {
    if (error instanceof DomainError) {
      // A challenge that is not the account's open one proves nothing: the
      // user id in it is public (vendor ids are in every product), so the
      // refusal names nobody and acts as nobody. Otherwise anyone could
      // write failures "by" a user and raise alerts on their account.
      const proven = active && error.code !== 'CR_ERR_2FA_CHALLENGE_INVALID'
      await recordFailure(services, proven ? asUser : context,
        proven ? state.userId : undefined,
        { reason: reasonOf(error), method: proof.method, at })
    }
    throw error
  }
}

/** Like a wrong password (login-failures.ts): the day's stream always, the
 * account's stream when the challenge named a live account. An erased
 * account is named nowhere. */
async function recordFailure (
  services: CommandServices,
  context: CommandContext,
  userId: string | undefined,
  detail: { reason: string, method: string, at: Date }
) {
  const event = {
    type: 'LoginFailed' as const,
    data: { userId: userId ?? null, reason: detail.reason,
      method: detail.method, at: detail.at.toISOString() }
  }
  await recordSecurityEvent(services, context,
    securityDayStream('login', detail.at), event)
  if (userId !== undefined) {
    await recordSecurityEvent(services, context,
      securityAccountStream(userId), event)
    // Wrong codes count toward the same five-in-15-minutes alert as wrong
    // passwords: either way someone is guessing at this account.
    await raiseLoginAlertIfDue(services, context, userId, detail.at)
  }
}

const badChallenge = () => unauthenticated('CR_ERR_2FA_CHALLENGE_INVALID',
  'the login challenge is invalid or has expired; log in again')

function reasonOf (error: DomainError) {
  switch (error.code) {
    case 'CR_ERR_2FA_CODE_INVALID': return 'second_factor_invalid'
    case 'CR_ERR_2FA_LOCKED': return 'second_factor_locked'
    case 'CR_ERR_2FA_CHALLENGE_INVALID': return 'challenge_invalid'
    default: return error.code
  }
}
