/**
 * Changes to an enabled second factor, each behind a fresh proof (step-up):
 * disabling takes a TOTP code or a backup code, regenerating the backup
 * codes takes a TOTP code. A wrong code is recorded on the user stream
 * (towards the lockout) and as an AccessDenied security event.
 */
import type { CommandContext, CommandServices } from '../../command-context.ts'
import { DomainError, forbidden } from '../../command-errors.ts'
import { handleCommand } from '../../handle-command.ts'
import type { UserEvent } from '../events.ts'
import { createBackupCodes, hashBackupCode } from './backup-codes.ts'
import { userSpec } from './set-up-two-factor.ts'
import { recordStepUpDenied } from './step-up-denied.ts'
import {
  decideDisable,
  decideRegenerateBackupCodes,
  type SecondFactorProof
} from './two-factor-decider.ts'

/** A TOTP code or a backup code as the user typed it. */
export type TypedProof =
  | { readonly code: string, readonly backupCode?: undefined }
  | { readonly backupCode: string, readonly code?: undefined }

export async function disableTwoFactor (
  services: CommandServices,
  context: CommandContext,
  userId: string,
  typed: TypedProof
) {
  const proof = toProof(services, userId, typed)
  const at = services.now()
  const outcome = await recordingLockout(services, context, userId, 'disable',
    () => handleCommand(services, context, {
      ...userSpec(userId),
      decide: (state) => decideDisable(state, { proof, at })
    }))
  await refuseIfRejected(services, context, userId, outcome.events, 'disable')
}

export async function regenerateBackupCodes (
  services: CommandServices,
  context: CommandContext,
  userId: string,
  code: string
) {
  const backupCodes = createBackupCodes()
  const hashes = backupCodes.map((backupCode) =>
    hashBackupCode(services.blindIndexKey, userId, backupCode))
  const at = services.now()
  const outcome = await recordingLockout(services, context, userId,
    'regenerate_backup_codes', () => handleCommand(services, context, {
      ...userSpec(userId),
      decide: (state) => decideRegenerateBackupCodes(state,
        { proof: { method: 'totp', code }, at, backupCodeHashes: hashes })
    }))
  await refuseIfRejected(services, context, userId, outcome.events,
    'regenerate_backup_codes')

  return { backupCodes }
}

/** Hashes a typed backup code for the decider, which never sees it. */
export function toProof (
  services: CommandServices,
  userId: string,
  typed: TypedProof
): SecondFactorProof {
  return typed.code !== undefined
    ? { method: 'totp', code: typed.code }
    : { method: 'backup_code',
        hash: hashBackupCode(services.blindIndexKey, userId, typed.backupCode) }
}

/**
 * A step-up tried while the second factor is locked is refused before any
 * code is looked at; it is still an attempt on the account, so it is
 * recorded like a wrong code.
 */
async function recordingLockout<T> (
  services: CommandServices,
  context: CommandContext,
  userId: string,
  action: string,
  command: () => Promise<T>
): Promise<T> {
  try {
    return await command()
  } catch (error) {
    if (error instanceof DomainError && error.code === 'CR_ERR_2FA_LOCKED') {
      await recordStepUpDenied(services, context, userId,
        { action, reason: 'second_factor_locked', method: null })
    }
    throw error
  }
}

async function refuseIfRejected (
  services: CommandServices,
  context: CommandContext,
  userId: string,
  events: readonly UserEvent[],
  action: string
) {
  const rejected = events.find((event) =>
    event.type === 'TwoFactorCodeRejected')
  if (rejected === undefined) return

  await recordStepUpDenied(services, context, userId,
    { action, reason: 'second_factor_invalid', method: rejected.data.method })
  throw forbidden('CR_ERR_2FA_CODE_INVALID', 'the code is not valid')
}
