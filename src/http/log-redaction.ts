/**
 * Takes secrets out of whatever a log line carries, at any depth: pino's
 * redact paths name fixed depths only, so a password inside an array of
 * objects would slip past them. Keys are compared without case, dashes or
 * underscores (`X-API-Key`, `api_key` and `apiKey` are one key). Names
 * are not enough (`?x=<token>` or a key pasted into a path names nothing),
 * so secrets are also masked by shape wherever they sit in a string: any
 * run of 13-19 digits that passes the Luhn check, anything shaped like a
 * JWT or one of our API keys, and email addresses (personal data, plain or
 * percent-encoded).
 */
export const REDACTED = '[redacted]'

const SECRET_KEYS = new Set([
  'authorization', 'proxyauthorization', 'cookie', 'setcookie',
  'password', 'currentpassword', 'newpassword', 'oldpassword',
  'passwordconfirmation', 'passwordhash', 'token', 'accesstoken',
  'refreshtoken', 'idtoken', 'sessiontoken', 'secret', 'clientsecret',
  'totp', 'totpcode', 'totpsecret', 'otp', 'onetimecode', 'mfacode',
  'twofactorcode', 'backupcode', 'backupcodes', 'recoverycode',
  'recoverycodes', 'apikey', 'xapikey', 'privatekey', 'key', 'jwt', 'auth',
  'bearer', 'session', 'sessionid', 'sid', 'credential', 'credentials',
  'pass', 'pwd', 'email',
  'cardnumber', 'card', 'pan', 'cvv', 'cvv2', 'cvc', 'securitycode'
].map(normalizeKey))

// `code` is our error code field (CR_ERR_…, ECONNREFUSED) and also how a
// TOTP or backup code is usually posted: keep only the former.
const ERROR_CODE = /^[A-Z][A-Z0-9_]*$/
const MAX_DEPTH = 10
// Runs of 13-19 digits with spaces, dashes or '+' (a space in a logged
// query) between them, wherever they sit, except inside a UUID: the first
// alternative takes a whole UUID at once, and it is kept, since the digit
// groups of ids pass the Luhn check as often as anything else.
const CARD_DIGITS =
  /[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}|\d(?:[ +-]?\d){12,18}/g
const UUID = /^[0-9a-fA-F]{8}-/
const SECRET_SHAPES = [
  // A JWT: base64url header starting {" and two more segments.
  /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g,
  // An API key, whatever follows the prefix.
  /cloudretail_(?:live|test)_sk_[A-Za-z0-9]*/g,
  // An email address, with its @ plain or percent-encoded.
  /[A-Za-z0-9._%+-]+(?:@|%40)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g
]

/** A copy of a log object with secrets replaced, plain data only; class
 * instances (errors, requests) are left to their serializers. */
export function redactSecrets (value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskSecretsIn(value)
  if (typeof value !== 'object' || value === null) return value
  if (depth >= MAX_DEPTH) return REDACTED
  if (Array.isArray(value)) {
    return value.map((item) => redactSecrets(item, depth + 1))
  }
  if (!isPlainObject(value)) return value

  const copy: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) {
    copy[key] = isSecretKey(key, item)
      ? REDACTED
      : redactSecrets(item, depth + 1)
  }

  return copy
}

/** Masks every secret a string carries by its shape: Luhn-valid 13-19
 * digit runs (spaces, dashes or '+' allowed) outside UUIDs, JWTs, API
 * keys, emails. */
export function maskSecretsIn (text: string): string {
  const masked = SECRET_SHAPES.reduce(
    (current, shape) => current.replace(shape, REDACTED), text)

  return masked.replace(CARD_DIGITS, (match) =>
    !UUID.test(match) && passesLuhn(match.replace(/[ +-]/g, ''))
      ? REDACTED
      : match)
}

/** Whether a field of this name (holding this value) is a secret. */
export function isSecretKey (key: string, value?: unknown) {
  const normalized = normalizeKey(key)
  if (normalized === 'code') {
    return !(typeof value === 'string' && ERROR_CODE.test(value))
  }

  return SECRET_KEYS.has(normalized)
}

function normalizeKey (key: string) {
  return key.toLowerCase().replace(/[-_]/g, '')
}

function isPlainObject (value: object) {
  const prototype = Object.getPrototypeOf(value)

  return prototype === Object.prototype || prototype === null
}

function passesLuhn (digits: string) {
  let sum = 0
  for (let index = 0; index < digits.length; index++) {
    let digit = Number(digits[digits.length - 1 - index])
    if (index % 2 === 1) {
      digit *= 2
      if (digit > 9) digit -= 9
    }
    sum += digit
  }

  return sum % 10 === 0
}
