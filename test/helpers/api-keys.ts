/**
 * API keys created through the admin route, for webhook tests.
 */
import type { SignedIn, TestApp } from './app.ts'

export interface CreatedKey {
  readonly apiKey: string
  readonly keyId: string
  readonly headers: { 'x-api-key': string }
}

let counter = 0

export async function createKey (
  test: TestApp,
  admin: SignedIn,
  body: Record<string, unknown>
): Promise<CreatedKey> {
  counter++
  const response = await test.app.inject({
    method: 'POST',
    url: '/api/admin/api-keys',
    headers: admin.auth,
    payload: { name: `integration ${counter}`, environment: 'live', ...body }
  })
  if (response.statusCode !== 201) {
    throw new Error(`key creation failed: ${response.statusCode} ` +
      response.body)
  }
  const { apiKey, keyId } = response.json() as { apiKey: string, keyId: string }

  return { apiKey, keyId, headers: { 'x-api-key': apiKey } }
}
