/**
 * The largest amounts the API accepts reach the read models: a price past
 * 2^31 cents, or an order totalling 10^13 cents, once overflowed a 32-bit
 * column and held the products or orders projection behind for good (found
 * by an attack on the running app).
 */
import t from 'tap'

import { buildTestApp, signUp } from '../../helpers/app.ts'
import { listProduct } from '../../helpers/catalogue.ts'

const MAX_PRICE_CENTS = 10_000_000_000

const test = await buildTestApp(t)
const vendor = await signUp(test, 'vendor')
const customer = await signUp(test)
const admin = await signUp(test, 'admin')

const at = (position: string) => ({ 'x-min-position': position })

t.test('a price past 2^31 cents is listed, shown and changed', async (t) => {
  const { productId, position } = await listProduct(test, vendor,
    { priceCents: 2 ** 31, stock: 5 })

  const shown = await test.app.inject({ method: 'GET',
    url: `/api/products/${productId}`, headers: at(position) })
  t.equal(shown.headers['x-read-model-stale'], undefined, 'not stale')
  t.equal(shown.json().priceCents, 2 ** 31)

  const changed = await test.app.inject({ method: 'PATCH',
    url: `/api/products/${productId}`, headers: vendor.auth,
    payload: { priceCents: MAX_PRICE_CENTS } })
  t.equal(changed.statusCode, 200)
  const again = await test.app.inject({ method: 'GET',
    url: `/api/products/${productId}`, headers: at(changed.json().position) })
  t.equal(again.json().priceCents, MAX_PRICE_CENTS)
})

t.test('an order of 1,000 units at the highest price is projected whole', async (t) => {
  const { productId } = await listProduct(test, vendor,
    { priceCents: MAX_PRICE_CENTS, stock: 1000 })

  const placed = await test.app.inject({ method: 'POST', url: '/api/orders',
    headers: customer.auth,
    payload: { lines: [{ productId, quantity: 1000 }] } })
  t.equal(placed.statusCode, 201, placed.body)

  const order = await test.app.inject({ method: 'GET',
    url: `/api/orders/${placed.json().orderId}`,
    headers: { ...customer.auth, ...at(placed.json().position) } })
  t.equal(order.headers['x-read-model-stale'], undefined, 'not stale')
  t.match(order.json(), { totalCents: 10_000_000_000_000,
    lines: [{ unitPriceCents: MAX_PRICE_CENTS, quantity: 1000,
      lineTotalCents: 10_000_000_000_000 }] })

  const status = await test.app.inject({ method: 'GET',
    url: '/api/admin/projections', headers: admin.auth })
  t.notMatch(status.body, /"failing"|"error"/, 'no projection is failing')
})
