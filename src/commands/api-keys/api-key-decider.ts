/**
 * The API key aggregate as a decider: created once, revoked at most once
 * (revoking again changes nothing). Pure: times arrive in the command.
 */
import { conflict, notFound } from '../command-errors.ts'
import type { ApiKeyCreated, ApiKeyEvent } from './events.ts'

export interface ApiKeyState {
  readonly exists: boolean
  readonly keyId: string
  readonly revoked: boolean
}

export const initialApiKeyState: ApiKeyState = {
  exists: false,
  keyId: '',
  revoked: false
}

export function evolveApiKey (
  state: ApiKeyState,
  event: ApiKeyEvent
): ApiKeyState {
  switch (event.type) {
    case 'ApiKeyCreated':
      return { exists: true, keyId: event.data.keyId, revoked: false }
    case 'ApiKeyRevoked':
      return { ...state, revoked: true }
  }
}

export function decideCreateApiKey (
  state: ApiKeyState,
  command: ApiKeyCreated
): ApiKeyEvent[] {
  if (state.exists) {
    throw conflict('CR_ERR_API_KEY_EXISTS', 'this API key already exists')
  }

  return [{ type: 'ApiKeyCreated', data: { ...command } }]
}

export function decideRevokeApiKey (
  state: ApiKeyState,
  revokedBy: string,
  revokedAt: string
): ApiKeyEvent[] {
  if (!state.exists) {
    throw notFound('CR_ERR_API_KEY_NOT_FOUND', 'no such API key')
  }
  if (state.revoked) return []

  return [{
    type: 'ApiKeyRevoked',
    data: { keyId: state.keyId, revokedBy, revokedAt }
  }]
}
