/**
 * Products listed through the API, for route tests that need something on
 * sale. Every call gets a fresh SKU.
 */
import type { TestApp, SignedIn } from './app.ts'

let counter = 0

export function newProduct (overrides: Record<string, unknown> = {}) {
  counter++

  return {
    sku: `SKU-${Date.now().toString(36)}-${counter}`,
    title: `Test product ${counter}`,
    description: 'A thing worth buying',
    category: 'testing',
    priceCents: 1000,
    stock: 10,
    ...overrides
  }
}

export async function listProduct (
  test: TestApp,
  seller: SignedIn,
  overrides: Record<string, unknown> = {}
): Promise<{ productId: string, position: string }> {
  const response = await test.app.inject({
    method: 'POST',
    url: '/api/products',
    headers: seller.auth,
    payload: newProduct(overrides)
  })
  if (response.statusCode !== 201) {
    throw new Error(`listing failed: ${response.statusCode} ${response.body}`)
  }

  return response.json()
}
