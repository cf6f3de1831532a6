/**
 * Events of an integration API key (stream `apikey-<id>`). The key itself
 * never appears anywhere: ApiKeyCreated holds only its keyed lookup hash
 * (see src/crypto/api-key-hashing.ts), enough to rebuild the lookup table
 * and useless to anyone without the server's key.
 */
import Type, { type Static } from 'typebox'

/**
 * What a key may do, one scope per webhook capability:
 * - `read:products`: read the catalogue (GET /api/webhooks/products…);
 * - `read:orders`: read the orders of the customer account linked to the key;
 * - `write:orders`: place orders for that linked customer account.
 */
export const API_KEY_SCOPES = ['read:products', 'read:orders',
  'write:orders'] as const
export type ApiKeyScope = typeof API_KEY_SCOPES[number]

/** Scopes that act for a customer, so a key holding one must name one. */
export const CUSTOMER_SCOPES: readonly ApiKeyScope[] =
  ['read:orders', 'write:orders']

export const ApiKeyScopeSchema = Type.Union([Type.Literal('read:products'),
  Type.Literal('read:orders'), Type.Literal('write:orders')])

export const ApiKeyEnvironmentSchema = Type.Union([Type.Literal('live'),
  Type.Literal('test')])

export const ApiKeyCreated = Type.Object({
  keyId: Type.String(),
  name: Type.String(),
  environment: ApiKeyEnvironmentSchema,
  scopes: Type.Array(ApiKeyScopeSchema),
  /** The customer account the key orders for, or null for read-only keys. */
  customerId: Type.Union([Type.String(), Type.Null()]),
  expiresAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  keyHash: Type.String(),
  createdBy: Type.String(),
  createdAt: Type.String({ format: 'date-time' })
})
export type ApiKeyCreated = Static<typeof ApiKeyCreated>

export const ApiKeyRevoked = Type.Object({
  keyId: Type.String(),
  revokedBy: Type.String(),
  revokedAt: Type.String({ format: 'date-time' })
})
export type ApiKeyRevoked = Static<typeof ApiKeyRevoked>

export type ApiKeyEvent =
  | { type: 'ApiKeyCreated', data: ApiKeyCreated }
  | { type: 'ApiKeyRevoked', data: ApiKeyRevoked }

export const apiKeyStream = (keyId: string) => `apikey-${keyId}`
