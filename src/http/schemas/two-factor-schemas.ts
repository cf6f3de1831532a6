import Type from 'typebox'

import { CHALLENGE_PATTERN } from '../../commands/users/two-factor/login-challenge.ts'
import { Uuid } from './common.ts'

export const TotpCode = Type.String({ minLength: 6, maxLength: 6,
  pattern: '^[0-9]{6}$',
  description: 'the six digits your authenticator app shows now' })

/** Twelve letters, shown in three groups of four (ABCD-EFGH-JKLM); case,
 * spaces and dashes are ignored. */
export const BackupCode = Type.String({ minLength: 12, maxLength: 20,
  pattern: '^[A-Za-z0-9 -]+$' })

export const Challenge = Type.String({ maxLength: 80,
  pattern: CHALLENGE_PATTERN })

export const ChallengeReply = Type.Object({
  twoFactorRequired: Type.Literal(true),
  challenge: Challenge,
  challengeExpiresIn: Type.Integer({ description: 'seconds' }),
  user: Type.Object({ userId: Uuid })
})

export const SetupReply = Type.Object({
  secret: Type.String({ description: 'Base32, for typing into the app' }),
  otpauthUri: Type.String({ description: 'for a QR code' })
})

export const CodeBody = Type.Object({ code: TotpCode },
  { additionalProperties: false })

export const BackupCodesReply = Type.Object({
  backupCodes: Type.Array(Type.String(), { description:
    'ten single-use codes, shown this once; store them safely' })
})

/** Exactly one of `code` and `backupCode` (checked by the route). */
export const ProofBody = Type.Object({
  code: Type.Optional(TotpCode),
  backupCode: Type.Optional(BackupCode)
}, { additionalProperties: false })

export const SecondFactorLoginBody = Type.Object({
  challenge: Challenge,
  code: Type.Optional(TotpCode),
  backupCode: Type.Optional(BackupCode)
}, { additionalProperties: false })
