/**
 * A user's own profile, read from their stream (the source of truth, with
 * personal fields decrypted) rather than from a read model that may lag:
 * GDPR's right of access wants what we hold, as we hold it.
 */
import { notFound } from '../command-errors.ts'
import type { CommandServices } from '../command-context.ts'
import { userStream, type UserRegistered, type Role } from './events.ts'

export interface UserProfile {
  readonly userId: string
  readonly role: Role
  readonly email: string | null
  readonly username: string | null
  readonly firstName: string | null
  readonly lastName: string | null
  readonly address: UserRegistered['address']
  readonly consent: UserRegistered['consent']
}

export async function readProfile (
  services: CommandServices,
  userId: string
): Promise<UserProfile> {
  let profile: UserProfile | undefined
  for (const recorded of await services.store.readStream(userStream(userId))) {
    const event = await services.codec.reveal(recorded)
    if (event.type === 'UserRegistered') {
      const data = event.data as unknown as UserRegistered
      profile = {
        userId,
        role: data.role,
        email: data.email,
        username: data.username,
        firstName: data.firstName,
        lastName: data.lastName,
        address: data.address,
        consent: data.consent
      }
    } else if (event.type === 'UserProfileUpdated' && profile !== undefined) {
      profile = { ...profile,
        ...(event.data as unknown as Partial<UserProfile>), userId }
    } else if (event.type === 'UserRoleChanged' && profile !== undefined) {
      profile = { ...profile, role: (event.data as { to: Role }).to }
    } else if (event.type === 'UserErased') {
      profile = undefined
    }
  }
  if (profile === undefined) {
    throw notFound('CR_ERR_USER_NOT_FOUND', 'no such user')
  }

  return profile
}
