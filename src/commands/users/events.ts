/**
 * Events of the user aggregate (stream `user-<id>`). Fields listed in
 * src/commands/personal-fields.ts are personal data: in the store they are
 * encrypted under the user's subject key; a reader whose key was shredded
 * sees them as null.
 */
import Type, { type Static } from 'typebox'

import type { TwoFactorEvent } from './two-factor/events.ts'

export const ROLES = ['customer', 'vendor', 'admin', 'auditor'] as const
export type Role = typeof ROLES[number]
export const RoleSchema = Type.Union([Type.Literal('customer'),
  Type.Literal('vendor'), Type.Literal('admin'), Type.Literal('auditor')])

export const Address = Type.Object({
  street: Type.String({ maxLength: 200 }),
  city: Type.String({ maxLength: 100 }),
  state: Type.String({ maxLength: 100 }),
  postalCode: Type.String({ maxLength: 20 }),
  country: Type.String({ maxLength: 100 })
}, { additionalProperties: false })
export type Address = Static<typeof Address>

export const Consent = Type.Object({
  version: Type.String({ maxLength: 20 }),
  grantedAt: Type.String({ format: 'date-time' }),
  marketing: Type.Boolean(),
  analytics: Type.Boolean(),
  thirdParty: Type.Boolean()
}, { additionalProperties: false })
export type Consent = Static<typeof Consent>

/** null in a personal field means: erased (its key is gone). */
const Personal = <T extends Type.TSchema>(schema: T) =>
  Type.Union([schema, Type.Null()])

export const UserRegistered = Type.Object({
  userId: Type.String(),
  role: RoleSchema,
  email: Personal(Type.String()),
  username: Personal(Type.String()),
  firstName: Personal(Type.String()),
  lastName: Personal(Type.String()),
  address: Personal(Type.Union([Address, Type.Null()])),
  passwordHash: Personal(Type.String()),
  consent: Consent
})
export type UserRegistered = Static<typeof UserRegistered>

export const UserLoggedIn = Type.Object({
  userId: Type.String(),
  method: Type.Union([Type.Literal('password'), Type.Literal('totp'),
    Type.Literal('backup_code')]),
  tokenId: Type.String()
})
export type UserLoggedIn = Static<typeof UserLoggedIn>

export const UserRoleChanged = Type.Object({
  userId: Type.String(),
  from: RoleSchema,
  to: RoleSchema
})
export type UserRoleChanged = Static<typeof UserRoleChanged>

/** The new hash is personal data, encrypted like the first one. */
export const UserPasswordChanged = Type.Object({
  userId: Type.String(),
  passwordHash: Personal(Type.String())
})
export type UserPasswordChanged = Static<typeof UserPasswordChanged>

/** The person's own changes to their profile: only the fields they changed
 * are present, each personal data like at registration. */
export const UserProfileUpdated = Type.Object({
  userId: Type.String(),
  firstName: Type.Optional(Personal(Type.String())),
  lastName: Type.Optional(Personal(Type.String())),
  address: Type.Optional(Personal(Type.Union([Address, Type.Null()])))
})
export type UserProfileUpdated = Static<typeof UserProfileUpdated>

/** Carries no personal data: it is what remains after crypto-shredding. */
export const UserErased = Type.Object({
  userId: Type.String(),
  erasedAt: Type.String({ format: 'date-time' })
})
export type UserErased = Static<typeof UserErased>

export type UserEvent =
  | { type: 'UserRegistered', data: UserRegistered }
  | { type: 'UserLoggedIn', data: UserLoggedIn }
  | { type: 'UserRoleChanged', data: UserRoleChanged }
  | { type: 'UserPasswordChanged', data: UserPasswordChanged }
  | { type: 'UserProfileUpdated', data: UserProfileUpdated }
  | { type: 'UserErased', data: UserErased }
  | TwoFactorEvent

export const userStream = (userId: string) => `user-${userId}`
