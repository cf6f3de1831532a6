/**
 * How a personal field is stored inside an event: AES-256-GCM ciphertext
 * under one data subject's key. The additional authenticated data binds it to
 * its stream and field, so a ciphertext copied elsewhere fails to decrypt.
 */
export interface EncryptedValue {
  readonly $enc: 'aes-256-gcm'
  /** The data subject whose key encrypts this value. */
  readonly subject: string
  readonly iv: string
  readonly tag: string
  readonly data: string
}

/** What a reader gets for a value whose subject key has been shredded. */
export interface ErasedValue {
  readonly $erased: true
}

export const ERASED: ErasedValue = Object.freeze({ $erased: true })

export function isEncryptedValue (value: unknown): value is EncryptedValue {
  return typeof value === 'object' && value !== null &&
    (value as { $enc?: unknown }).$enc === 'aes-256-gcm'
}

export function isErased (value: unknown): value is ErasedValue {
  return typeof value === 'object' && value !== null &&
    (value as { $erased?: unknown }).$erased === true
}
