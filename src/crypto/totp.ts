/**
 * Time-based one-time passwords, RFC 6238 (TOTP over RFC 4226's HOTP) with
 * the parameters every authenticator app assumes: HMAC-SHA-1, 30-second
 * steps counted from the Unix epoch, six digits, a Base32 secret, and the
 * otpauth:// URI format of Google Authenticator's key-URI spec.
 *
 * Verification is a pure function of (secret, code, time, last spent step):
 * no clock is read here, so callers decide what "now" is and tests can move
 * it. otplib checks statelessly; a code is made single-use by passing the
 * last step already spent, which it then refuses along with all before it.
 */
import { generateSecret, generateSync, generateURI, verifySync } from 'otplib'

export const TOTP_PERIOD_SECONDS = 30
export const TOTP_DIGITS = 6
/** RFC 4226 §4 asks for 128 bits and recommends 160; otplib's minimum is
 * 16 bytes. */
export const TOTP_SECRET_BYTES = 20
/** One step either side (±30 s) for clocks that drift, per RFC 6238 §5.2;
 * a wider window only gives guessers more codes to hit. */
export const TOTP_DRIFT_STEPS = 1
/** Before any code was accepted. */
export const NO_TIME_STEP = -1

/** A fresh random secret as Base32 text (what authenticator apps import). */
export function createTotpSecret (): string {
  return generateSecret({ length: TOTP_SECRET_BYTES })
}

/** The time step (RFC 6238's T) that holds a moment. */
export function timeStepAt (at: Date): number {
  return Math.floor(at.getTime() / 1000 / TOTP_PERIOD_SECONDS)
}

/** The code an authenticator shows at a moment. */
export function generateTotp (secret: string, at: Date): string {
  return generateSync({ secret, epoch: toEpoch(at), digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS, algorithm: 'sha1' })
}

/**
 * The time step whose code matches, looking one step either side of `at`
 * and only at steps after `afterTimeStep`; null when nothing matches. A
 * malformed code or secret matches nothing rather than throwing.
 */
export function matchTotp (
  secret: string,
  code: string,
  at: Date,
  afterTimeStep: number = NO_TIME_STEP
): number | null {
  try {
    const result = verifySync({
      secret,
      token: code,
      epoch: toEpoch(at),
      epochTolerance: TOTP_DRIFT_STEPS * TOTP_PERIOD_SECONDS,
      digits: TOTP_DIGITS,
      period: TOTP_PERIOD_SECONDS,
      algorithm: 'sha1',
      ...(afterTimeStep >= 0 ? { afterTimeStep } : {})
    })

    // The functional API's result type also covers HOTP, which has no step.
    return result.valid && 'timeStep' in result &&
      typeof result.timeStep === 'number'
      ? result.timeStep
      : null
  } catch {
    return null
  }
}

/** The otpauth:// URI for a QR code: issuer prefix and parameter both set,
 * as the key-URI spec recommends, and the defaults spelled out. */
export function buildOtpauthUri (
  secret: string,
  issuer: string,
  account: string
): string {
  return generateURI({ issuer, label: account, secret, algorithm: 'sha1',
    digits: TOTP_DIGITS, period: TOTP_PERIOD_SECONDS })
}

function toEpoch (at: Date) {
  return Math.floor(at.getTime() / 1000)
}
