/**
 * Registration: always a customer (only the CLI bootstrap and admins make
 * anything else), GDPR consent required and recorded with the policy version
 * and time, the person's fields encrypted under a key of their own.
 */
import { randomUUID } from 'node:crypto'

import { conflict, invalid } from '../command-errors.ts'
import type { CommandContext, CommandServices } from '../command-context.ts'
import { handleCommand } from '../handle-command.ts'
import { userStream, type Address, type Role } from './events.ts'
import { hashAcceptablePassword } from './new-password.ts'
import { lookupHash, releaseLookups, reserveLookup } from './user-lookup.ts'
import { decideRegister, evolveUser, initialUserState } from './user-decider.ts'

/** The privacy policy version a consent given now agrees to. */
export const CONSENT_VERSION = '1.0'

export interface RegistrationInput {
  readonly email: string
  readonly username: string
  readonly password: string
  readonly firstName: string
  readonly lastName: string
  readonly address?: Address | null
  readonly gdprConsent: boolean
  readonly marketingConsent?: boolean
  readonly analyticsConsent?: boolean
  readonly thirdPartyConsent?: boolean
}

export async function registerUser (
  services: CommandServices,
  context: CommandContext,
  input: RegistrationInput,
  role: Role = 'customer'
) {
  if (input.gdprConsent !== true) {
    throw invalid('CR_ERR_USER_CONSENT_REQUIRED', 'GDPR consent required',
      'body.gdprConsent')
  }

  const userId = randomUUID()
  // The policy holds for every role: the CLI's admins included.
  const passwordHash = await hashAcceptablePassword(input.password, input)
  await reserveIdentity(services, userId, input)
  try {
    await services.keys.createKey(userId)
    const outcome = await handleCommand(services, context, {
      stream: userStream(userId),
      initialState: initialUserState,
      evolve: evolveUser,
      clientSubject: userId,
      attempts: 1,
      decide: (state) => decideRegister(state, {
        userId,
        role,
        email: input.email.trim(),
        username: input.username.trim(),
        firstName: input.firstName,
        lastName: input.lastName,
        address: input.address ?? null,
        passwordHash,
        consent: {
          version: CONSENT_VERSION,
          grantedAt: services.now().toISOString(),
          marketing: input.marketingConsent ?? false,
          analytics: input.analyticsConsent ?? false,
          thirdParty: input.thirdPartyConsent ?? false
        }
      })
    })

    return { userId, role, position: outcome.position }
  } catch (error) {
    // Nothing half-written: a registration that did not append frees its
    // email and username and leaves no key behind.
    await releaseLookups(services.db, userId)
    await services.keys.shred(userId)
    throw error
  }
}

async function reserveIdentity (
  services: CommandServices,
  userId: string,
  input: RegistrationInput
) {
  const key = services.blindIndexKey
  const emailHash = lookupHash(key, 'email', input.email)
  if (!await reserveLookup(services.db, 'email', emailHash, userId)) {
    throw conflict('CR_ERR_USER_EMAIL_TAKEN',
      'an account with this email already exists', 'body.email')
  }

  const usernameHash = lookupHash(key, 'username', input.username)
  if (!await reserveLookup(services.db, 'username', usernameHash, userId)) {
    await releaseLookups(services.db, userId)
    throw conflict('CR_ERR_USER_USERNAME_TAKEN',
      'this username is taken', 'body.username')
  }
}
