import Type from 'typebox'

import { Position, Text, Uuid } from './common.ts'

export const AddressBody = Type.Object({
  street: Text(200),
  city: Text(100),
  state: Text(100),
  postalCode: Text(20),
  country: Text(100)
}, { additionalProperties: false })

export const Email = Type.String({ format: 'email', minLength: 3,
  maxLength: 254 })

// 72 bytes is bcrypt's input limit; the byte length is checked again when
// hashing, since multi-byte characters reach it sooner. No control
// characters: nobody types them, and C implementations of bcrypt stop at
// U+0000.
export const Password = Type.String({ minLength: 1, maxLength: 72,
  pattern: '^[^\\u0000-\\u001f\\u007f]*$' })

export const RegisterBody = Type.Object({
  email: Email,
  username: Type.String({ minLength: 3, maxLength: 40,
    pattern: '^[A-Za-z0-9._-]+$' }),
  password: Password,
  firstName: Text(100),
  lastName: Text(100),
  address: Type.Optional(Type.Union([AddressBody, Type.Null()])),
  gdprConsent: Type.Boolean(),
  marketingConsent: Type.Optional(Type.Boolean()),
  analyticsConsent: Type.Optional(Type.Boolean()),
  thirdPartyConsent: Type.Optional(Type.Boolean())
}, { additionalProperties: false })

export const RegisterReply = Type.Object({
  userId: Uuid,
  role: Type.String(),
  position: Position
})

export const LoginBody = Type.Object({
  email: Text(254),
  password: Password
}, { additionalProperties: false })

export const LoginReply = Type.Object({
  token: Type.String(),
  tokenType: Type.Literal('Bearer'),
  expiresIn: Type.Integer(),
  user: Type.Object({ userId: Uuid, role: Type.String() })
})

export const Profile = Type.Object({
  userId: Uuid,
  role: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  username: Type.Union([Type.String(), Type.Null()]),
  firstName: Type.Union([Type.String(), Type.Null()]),
  lastName: Type.Union([Type.String(), Type.Null()]),
  address: Type.Union([AddressBody, Type.Null()]),
  consent: Type.Object({
    version: Type.String(),
    grantedAt: Type.String(),
    marketing: Type.Boolean(),
    analytics: Type.Boolean(),
    thirdParty: Type.Boolean()
  })
})

export const RoleBody = Type.Object({
  role: Type.Union([Type.Literal('customer'), Type.Literal('vendor'),
    Type.Literal('admin'), Type.Literal('auditor')])
}, { additionalProperties: false })

export const RoleReply = Type.Object({
  userId: Uuid,
  role: Type.String(),
  position: Position
})
