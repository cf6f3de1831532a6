/**
 * Two-factor events of the user aggregate (stream `user-<id>`). Only the
 * TOTP secret is personal (encrypted under the user's subject key, listed
 * in src/commands/personal-fields.ts, shredded by erasure). Backup-code
 * hashes are keyed HMACs of random codes: they say nothing about the
 * person and are useless without the server's key, so they stay readable
 * for the decider without decryption.
 */
import Type, { type Static } from 'typebox'

export const SecondFactorMethod = Type.Union([Type.Literal('totp'),
  Type.Literal('backup_code')])
export type SecondFactorMethod = Static<typeof SecondFactorMethod>

/** A secret was handed out; it guards nothing until confirmed. */
export const TwoFactorSetupStarted = Type.Object({
  userId: Type.String(),
  secret: Type.Union([Type.String(), Type.Null()])
})
export type TwoFactorSetupStarted = Static<typeof TwoFactorSetupStarted>

/** The pending secret proved to work: logins now need a second factor.
 * The confirming code's step counts as spent. */
export const TwoFactorEnabled = Type.Object({
  userId: Type.String(),
  timeStep: Type.Integer()
})
export type TwoFactorEnabled = Static<typeof TwoFactorEnabled>

/** Ten new backup codes replace any earlier ones. */
export const BackupCodesGenerated = Type.Object({
  userId: Type.String(),
  hashes: Type.Array(Type.String())
})
export type BackupCodesGenerated = Static<typeof BackupCodesGenerated>

export const BackupCodeUsed = Type.Object({
  userId: Type.String(),
  index: Type.Integer()
})
export type BackupCodeUsed = Static<typeof BackupCodeUsed>

/** A TOTP code was accepted: it and every earlier step are spent. */
export const TotpCodeAccepted = Type.Object({
  userId: Type.String(),
  timeStep: Type.Integer()
})
export type TotpCodeAccepted = Static<typeof TotpCodeAccepted>

/** A wrong code (or backup code) counts towards the lockout. */
export const TwoFactorCodeRejected = Type.Object({
  userId: Type.String(),
  method: SecondFactorMethod,
  at: Type.String({ format: 'date-time' })
})
export type TwoFactorCodeRejected = Static<typeof TwoFactorCodeRejected>

/** The password was right; the login waits for the second factor. Only a
 * hash of the challenge is kept. */
export const TwoFactorChallengeIssued = Type.Object({
  userId: Type.String(),
  challengeHash: Type.String(),
  expiresAt: Type.String({ format: 'date-time' })
})
export type TwoFactorChallengeIssued = Static<typeof TwoFactorChallengeIssued>

export const TwoFactorDisabled = Type.Object({
  userId: Type.String()
})
export type TwoFactorDisabled = Static<typeof TwoFactorDisabled>

export type TwoFactorEvent =
  | { type: 'TwoFactorSetupStarted', data: TwoFactorSetupStarted }
  | { type: 'TwoFactorEnabled', data: TwoFactorEnabled }
  | { type: 'BackupCodesGenerated', data: BackupCodesGenerated }
  | { type: 'BackupCodeUsed', data: BackupCodeUsed }
  | { type: 'TotpCodeAccepted', data: TotpCodeAccepted }
  | { type: 'TwoFactorCodeRejected', data: TwoFactorCodeRejected }
  | { type: 'TwoFactorChallengeIssued', data: TwoFactorChallengeIssued }
  | { type: 'TwoFactorDisabled', data: TwoFactorDisabled }
