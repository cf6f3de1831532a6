/**
 * Backup codes: ten single-use codes for when the authenticator is not at
 * hand. Each is 12 characters from a 32-letter alphabet without the look-
 * alikes 0/O and 1/I (60 random bits), shown once in three groups of four (ABCD-EFGH-JKLM).
 *
 * Stored only as a keyed HMAC-SHA-256 (the blind-index key, purpose
 * 'backup-code', bound to the user id). A slow hash such as bcrypt guards
 * low-entropy passwords against guessing; 60 random bits are out of reach
 * of guessing already, and bcrypt at cost 12 over ten codes would spend
 * seconds of CPU per attempt, a lever for denial of service. The key keeps
 * even a copied event store from being searched offline.
 */
import { randomBytes } from 'node:crypto'

import { blindIndex } from '../../../crypto/blind-index.ts'

export const BACKUP_CODE_COUNT = 10
export const BACKUP_CODE_LENGTH = 12
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'
const GROUP = 4

export function createBackupCodes (): string[] {
  return Array.from({ length: BACKUP_CODE_COUNT }, createBackupCode)
}

/** What the user typed, reduced to the code: case, spaces and dashes do
 * not matter. */
export function normaliseBackupCode (typed: string): string {
  return typed.replace(/[\s-]/g, '').toUpperCase()
}

export function hashBackupCode (key: Buffer, userId: string, code: string) {
  return blindIndex(key, 'backup-code',
    `${userId}:${normaliseBackupCode(code)}`)
}

function createBackupCode () {
  // 256 is a multiple of 32, so masking each byte keeps the letters uniform.
  const letters = [...randomBytes(BACKUP_CODE_LENGTH)]
    .map((byte) => ALPHABET[byte & 31])
    .join('')

  return letters.match(new RegExp(`.{${GROUP}}`, 'g'))!.join('-')
}
