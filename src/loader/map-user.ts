/**
 * A dataset person as the registration body the API takes: name, email,
 * username, password, postal address and consent. Everything else in the
 * record (bank card, SSN, EIN, crypto wallet, IP, MAC address, user agent,
 * phone, body measurements...) is dropped here and never leaves the loader.
 */
import { createHash } from 'node:crypto'

import type { DatasetAddress, DatasetUser } from './dataset.ts'
import { tagEmail, tagUsername } from './run-tag.ts'

export interface AddressBody {
  readonly street: string
  readonly city: string
  readonly state: string
  readonly postalCode: string
  readonly country: string
}

export interface RegistrationBody {
  readonly email: string
  readonly username: string
  readonly password: string
  readonly firstName: string
  readonly lastName: string
  readonly address?: AddressBody
  readonly gdprConsent: true
}

export function toRegistration (
  user: DatasetUser,
  runId: string,
  password: string = user.password
): RegistrationBody {
  return {
    email: tagEmail(user.email, runId),
    username: tagUsername(user.username, runId),
    password,
    firstName: user.firstName,
    lastName: user.lastName,
    ...(user.address === undefined ? {} : { address: toAddress(user.address) }),
    // The replayed people are synthetic; the shop's privacy policy is
    // accepted on their behalf, and nothing optional is opted into.
    gdprConsent: true
  }
}

export function toAddress (address: DatasetAddress): AddressBody {
  return {
    street: address.address,
    city: address.city,
    state: address.state,
    postalCode: address.postalCode,
    country: address.country
  }
}

/**
 * The password used when a password policy refuses the dataset's
 * `<username>pass`: derived from the username alone, so anyone knowing the
 * scheme can sign in as that person again, yet free of the username itself
 * (policies often refuse that) and holding every character class a policy
 * asks for (upper, lower, digit, special), 22 characters long.
 */
export function derivePassword (username: string) {
  const digest = createHash('sha256')
    .update(`cloudretail-load/${username}`, 'utf8')
    .digest('base64url')

  return `Dj${digest.slice(0, 16)}7!#x`
}
