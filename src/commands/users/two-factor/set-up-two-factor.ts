/**
 * Turning TOTP on takes two steps: setup hands out a fresh secret (and the
 * otpauth:// URI an authenticator app scans), confirmation proves the app
 * has it by a code from it, and only then does login ask for a code. The
 * backup codes are made at confirmation and returned that one time.
 */
import { buildOtpauthUri, createTotpSecret } from '../../../crypto/totp.ts'
import type { CommandContext, CommandServices } from '../../command-context.ts'
import { DomainError } from '../../command-errors.ts'
import { handleCommand, loadState } from '../../handle-command.ts'
import { userStream } from '../events.ts'
import { evolveUser, initialUserState } from '../user-decider.ts'
import { createBackupCodes, hashBackupCode } from './backup-codes.ts'
import { recordStepUpDenied } from './step-up-denied.ts'
import {
  decideConfirmSetup,
  decideStartSetup
} from './two-factor-decider.ts'

/** The name authenticator apps show above the code. */
export const TOTP_ISSUER = 'CloudRetail'

export async function startTwoFactorSetup (
  services: CommandServices,
  context: CommandContext,
  userId: string
) {
  const spec = userSpec(userId)
  const { state } = await loadState(services, spec)
  const secret = createTotpSecret()
  await handleCommand(services, context, {
    ...spec,
    decide: (current) => decideStartSetup(current, secret)
  })

  return { secret,
    otpauthUri: buildOtpauthUri(secret, TOTP_ISSUER, state.email ?? userId) }
}

export async function confirmTwoFactorSetup (
  services: CommandServices,
  context: CommandContext,
  userId: string,
  code: string
) {
  const backupCodes = createBackupCodes()
  const hashes = backupCodes.map((backupCode) =>
    hashBackupCode(services.blindIndexKey, userId, backupCode))
  const at = services.now()
  try {
    await handleCommand(services, context, {
      ...userSpec(userId),
      decide: (state) => decideConfirmSetup(state,
        { code, at, backupCodeHashes: hashes })
    })
  } catch (error) {
    // A wrong code here guesses at a secret the caller was just shown;
    // recorded all the same, so monitoring sees a session probing codes.
    if (error instanceof DomainError && error.code === 'CR_ERR_2FA_CODE_INVALID') {
      await recordStepUpDenied(services, context, userId,
        { action: 'confirm_setup', reason: 'second_factor_invalid',
          method: 'totp' })
    }
    throw error
  }

  return { backupCodes }
}

/** The user stream read with its personal fields decrypted: deciding on a
 * code needs the secret. */
export function userSpec (userId: string) {
  return {
    stream: userStream(userId),
    initialState: initialUserState,
    evolve: evolveUser,
    reveal: true
  }
}
