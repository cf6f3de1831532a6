/**
 * Creating an integration key (admins only, checked by the route). The key
 * is returned here once and never again: only its keyed hash is stored, in
 * the ApiKeyCreated event and in the lookup table. A key that may act for a
 * customer (read:orders, write:orders) is bound to one active customer
 * account at creation; requests never name the customer themselves.
 */
import { randomUUID } from 'node:crypto'

import {
  generateApiKey,
  hashApiKey,
  type ApiKeyEnvironment
} from '../../crypto/api-key-hashing.ts'
import { invalid } from '../command-errors.ts'
import type { CommandContext, CommandServices } from '../command-context.ts'
import { handleCommand } from '../handle-command.ts'
import {
  decideCreateApiKey,
  evolveApiKey,
  initialApiKeyState
} from './api-key-decider.ts'
import { deleteApiKey, insertApiKey } from './api-key-lookup.ts'
import { isActiveCustomer } from './linked-customer.ts'
import {
  apiKeyStream,
  CUSTOMER_SCOPES,
  type ApiKeyCreated,
  type ApiKeyScope
} from './events.ts'

export interface CreateApiKeyInput {
  readonly name: string
  readonly environment: ApiKeyEnvironment
  readonly scopes: readonly ApiKeyScope[]
  readonly expiresAt?: string | null
  readonly customerId?: string | null
}

export async function createApiKey (
  services: CommandServices,
  context: CommandContext,
  createdBy: string,
  input: CreateApiKeyInput
) {
  const now = services.now()
  const scopes = [...new Set(input.scopes)].sort()
  const expiresAt = checkExpiry(input.expiresAt ?? null, now)
  const customerId = await checkCustomer(services, scopes,
    input.customerId ?? null)
  const keyId = randomUUID()
  const apiKey = generateApiKey(input.environment)
  const created: ApiKeyCreated = {
    keyId,
    name: input.name,
    environment: input.environment,
    scopes,
    customerId,
    expiresAt,
    keyHash: hashApiKey(services.blindIndexKey, apiKey),
    createdBy,
    createdAt: now.toISOString()
  }

  // The row goes in first and comes out again if the append fails: the key
  // has not been shown to anyone yet, so nobody can use it in between.
  await insertApiKey(services.db, created)
  try {
    const outcome = await handleCommand(services, context, {
      stream: apiKeyStream(keyId),
      initialState: initialApiKeyState,
      evolve: evolveApiKey,
      attempts: 1,
      decide: (state) => decideCreateApiKey(state, created)
    })

    return { apiKey, ...withoutHash(created), position: outcome.position }
  } catch (error) {
    await deleteApiKey(services.db, keyId)
    throw error
  }
}

function checkExpiry (expiresAt: string | null, now: Date) {
  if (expiresAt === null) return null

  const at = new Date(expiresAt)
  if (Number.isNaN(at.getTime()) || at <= now) {
    throw invalid('CR_ERR_API_KEY_EXPIRY', 'must be a time in the future',
      'body.expiresAt')
  }

  return at.toISOString()
}

async function checkCustomer (
  services: CommandServices,
  scopes: readonly ApiKeyScope[],
  customerId: string | null
) {
  const actsForCustomer = scopes.some((s) => CUSTOMER_SCOPES.includes(s))
  if (!actsForCustomer) {
    if (customerId !== null) {
      throw invalid('CR_ERR_API_KEY_CUSTOMER',
        'only a key with read:orders or write:orders is bound to a customer',
        'body.customerId')
    }

    return null
  }
  if (customerId === null) {
    throw invalid('CR_ERR_API_KEY_CUSTOMER',
      'read:orders and write:orders need the customer account they act for',
      'body.customerId')
  }

  if (!await isActiveCustomer(services, customerId)) {
    throw invalid('CR_ERR_API_KEY_CUSTOMER',
      'must be an active customer account', 'body.customerId')
  }

  return customerId
}

function withoutHash (created: ApiKeyCreated): Omit<ApiKeyCreated, 'keyHash'> {
  const copy: Partial<ApiKeyCreated> = { ...created }
  delete copy.keyHash

  return copy as Omit<ApiKeyCreated, 'keyHash'>
}
