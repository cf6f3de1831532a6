/**
 * Which fields of which events are personal data, and whose. The codec in
 * src/crypto/personal-data-codec.ts encrypts exactly these fields before an
 * append and decrypts them after a read; every other field is stored as is.
 * Adding an event type with personal data means adding it here.
 */
export interface PersonalFieldRule {
  /** The data field holding the id of the data subject (a user id). */
  readonly subjectField: string
  /** Top-level data fields encrypted under that subject's key. */
  readonly fields: readonly string[]
}

export const PERSONAL_FIELDS: Readonly<Record<string, PersonalFieldRule>> = {
  UserRegistered: {
    subjectField: 'userId',
    fields: ['email', 'username', 'firstName', 'lastName', 'address',
      'passwordHash']
  },
  UserPasswordChanged: {
    subjectField: 'userId',
    fields: ['passwordHash']
  },
  UserProfileUpdated: {
    subjectField: 'userId',
    fields: ['firstName', 'lastName', 'address']
  },
  TwoFactorSetupStarted: {
    subjectField: 'userId',
    fields: ['secret']
  },
  OrderPlaced: {
    subjectField: 'customerId',
    fields: ['shippingAddress']
  }
}
