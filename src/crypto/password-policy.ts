/**
 * The password policy of the security architecture: at least 12 characters
 * with an upper-case letter, a lower-case letter, a digit and a special
 * character; not one of the ~49,000 most common passwords (the list of the
 * maintained @zxcvbn-ts/language-common package, compared case-insensitively);
 * and not containing the person's email local part, username, first or last
 * name. Bcrypt's 72-byte limit is enforced when hashing
 * (password-hashing.ts).
 */
import { dictionary } from '@zxcvbn-ts/language-common'

export const MIN_PASSWORD_LENGTH = 12

/** Personal values shorter than this are too common to refuse ("Al"). */
export const MIN_PERSONAL_PART_LENGTH = 3

/** What the password may not contain, as the person registered it. */
export interface PasswordOwner {
  readonly email?: string | null
  readonly username?: string | null
  readonly firstName?: string | null
  readonly lastName?: string | null
}

const CLASSES: ReadonlyArray<readonly [RegExp, string]> = [
  [/\p{Lu}/u, 'an upper-case letter'],
  [/\p{Ll}/u, 'a lower-case letter'],
  [/\p{Nd}/u, 'a digit'],
  [/[^\p{L}\p{N}\s]/u, 'a special character']
]

let commonPasswords: ReadonlySet<string> | undefined

/**
 * The list, built into a set on first use (about 20 ms) and kept: every
 * later check is one lookup. The package's entries are all lower case.
 */
export function loadCommonPasswords (): ReadonlySet<string> {
  commonPasswords ??= new Set(dictionary['passwords-common'])

  return commonPasswords
}

export interface PasswordProblems {
  /** What the password lacks, e.g. "a digit". */
  readonly missing: readonly string[]
  /** What it may not be or contain, e.g. "your username". */
  readonly forbidden: readonly string[]
}

/**
 * Every rule the password breaks, in words a person can act on; both lists
 * empty when it complies. The password itself never appears in the result.
 */
export function findPasswordProblems (
  password: string,
  owner: PasswordOwner = {}
): PasswordProblems {
  const missing: string[] = []
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    missing.push(`at least ${MIN_PASSWORD_LENGTH} characters`)
  }
  for (const [pattern, description] of CLASSES) {
    if (!pattern.test(password)) missing.push(description)
  }

  const forbidden: string[] = []
  const folded = fold(password)
  if (loadCommonPasswords().has(folded)) {
    forbidden.push('a commonly used password')
  }
  for (const [label, value] of personalParts(owner)) {
    if (folded.includes(value)) forbidden.push(`your ${label}`)
  }

  return { missing, forbidden }
}

export function isPasswordAcceptable (problems: PasswordProblems) {
  return problems.missing.length === 0 && problems.forbidden.length === 0
}

/** One sentence for a refusal, e.g. "the password needs a digit; it may not
 * be or contain your username". */
export function describePasswordProblems (problems: PasswordProblems) {
  const parts: string[] = []
  if (problems.missing.length > 0) {
    parts.push(`the password needs ${problems.missing.join(', ')}`)
  }
  if (problems.forbidden.length > 0) {
    parts.push(`${parts.length === 0 ? 'the password' : 'it'} may not be ` +
      `or contain ${problems.forbidden.join(', ')}`)
  }

  return parts.join('; ')
}

function personalParts (owner: PasswordOwner) {
  const localPart = owner.email?.slice(0, Math.max(owner.email.lastIndexOf('@'), 0))
  const parts: Array<readonly [string, string | null | undefined]> = [
    ['email address', localPart],
    ['username', owner.username],
    ['first name', owner.firstName],
    ['last name', owner.lastName]
  ]

  return parts
    .map(([label, value]) => [label, fold(value?.trim() ?? '')] as const)
    .filter(([, value]) => [...value].length >= MIN_PERSONAL_PART_LENGTH)
}

function fold (text: string) {
  return text.normalize('NFKC').toLowerCase()
}
