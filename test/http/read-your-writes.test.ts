import t from 'tap'

import { buildTestApp, signUp } from '../helpers/app.ts'
import { newProduct } from '../helpers/catalogue.ts'

t.test('a product is readable at the position its creation returned', async (t) => {
  const test = await buildTestApp(t)
  const vendor = await signUp(test, 'vendor')

  for (let i = 0; i < 5; i++) {
    const created = await test.app.inject({
      method: 'POST', url: '/api/products', headers: vendor.auth,
      payload: newProduct({ title: `Fresh ${i}` })
    })
    const { productId, position } = created.json()

    const read = await test.app.inject({
      method: 'GET',
      url: `/api/products/${productId as string}`,
      headers: { 'x-min-position': position }
    })

    t.equal(read.statusCode, 200, `product ${i} found`)
    t.equal(read.json().title, `Fresh ${i}`)
    t.equal(read.headers['x-read-model-stale'], undefined)
  }
})

t.test('a stock change is visible at the position it returned', async (t) => {
  const test = await buildTestApp(t)
  const vendor = await signUp(test, 'vendor')
  const created = await test.app.inject({
    method: 'POST', url: '/api/products', headers: vendor.auth,
    payload: newProduct({ stock: 1 })
  })
  const { productId } = created.json()

  for (let delta = 1; delta <= 3; delta++) {
    const adjusted = await test.app.inject({
      method: 'POST',
      url: `/api/products/${productId as string}/stock`,
      headers: vendor.auth,
      payload: { delta, reason: 'delivery' }
    })
    const read = await test.app.inject({
      method: 'GET',
      url: `/api/products/${productId as string}`,
      headers: { 'x-min-position': adjusted.json().position }
    })
    t.equal(read.json().stock, adjusted.json().stock)
  }
})
