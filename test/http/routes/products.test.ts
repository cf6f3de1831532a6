import t from 'tap'

import { buildTestApp, signUp } from '../../helpers/app.ts'
import { listProduct, newProduct } from '../../helpers/catalogue.ts'
import { collectPages } from '../../helpers/collect-pages.ts'
import {
  businessEventsAfter,
  lastPosition,
  securityEventsAfter
} from '../../helpers/event-log.ts'

const PROBLEM = /^application\/problem\+json/

const test = await buildTestApp(t)
const vendor = await signUp(test, 'vendor')
const rival = await signUp(test, 'vendor')
const customer = await signUp(test)

const getProduct = (productId: string, position: string) => test.app.inject({
  method: 'GET',
  url: `/api/products/${productId}`,
  headers: { 'x-min-position': position }
})

t.test('a vendor lists, updates and restocks their own product', async (t) => {
  const body = newProduct({ priceCents: 1250, stock: 3, brand: 'Acme' })
  const created = await test.app.inject({
    method: 'POST', url: '/api/products', headers: vendor.auth, payload: body
  })
  t.equal(created.statusCode, 201)
  const { productId } = created.json()
  t.match(created.json().position, /^[0-9]+$/)

  const patched = await test.app.inject({
    method: 'PATCH',
    url: `/api/products/${productId as string}`,
    headers: vendor.auth,
    payload: { title: 'Renamed', priceCents: 999 }
  })
  t.equal(patched.statusCode, 200)
  t.equal(patched.json().productId, productId)

  const restocked = await test.app.inject({
    method: 'POST',
    url: `/api/products/${productId as string}/stock`,
    headers: vendor.auth,
    payload: { delta: 4, reason: 'delivery' }
  })
  t.equal(restocked.statusCode, 200)
  t.equal(restocked.json().stock, 7)

  const read = await getProduct(productId, restocked.json().position)
  t.equal(read.statusCode, 200)
  t.match(read.json(), {
    productId,
    vendorId: vendor.userId,
    sku: body.sku,
    title: 'Renamed',
    description: body.description,
    category: body.category,
    brand: 'Acme',
    priceCents: 999,
    stock: 7
  })
})

t.test('a write-off below zero stock is a conflict and changes nothing', async (t) => {
  const { productId } = await listProduct(test, vendor, { stock: 2 })
  const before = await lastPosition(test)

  const response = await test.app.inject({
    method: 'POST',
    url: `/api/products/${productId}/stock`,
    headers: vendor.auth,
    payload: { delta: -3, reason: 'breakage' }
  })

  t.equal(response.statusCode, 409)
  t.match(response.headers['content-type'], PROBLEM)
  t.equal(await lastPosition(test), before)
})

t.test('a customer may not list products', async (t) => {
  const before = await lastPosition(test)

  const response = await test.app.inject({
    method: 'POST', url: '/api/products', headers: customer.auth,
    payload: newProduct()
  })

  t.equal(response.statusCode, 403)
  t.match(response.headers['content-type'], PROBLEM)
  t.same(await businessEventsAfter(test, before), [], 'nothing listed')
  t.same(await securityEventsAfter(test, before), ['AccessDenied'],
    'the attempt is recorded')
})

t.test('another vendor\'s product answers 404 to changes', async (t) => {
  const { productId, position } = await listProduct(test, vendor)
  const before = await lastPosition(test)

  const patch = await test.app.inject({
    method: 'PATCH',
    url: `/api/products/${productId}`,
    headers: rival.auth,
    payload: { title: 'Hijacked' }
  })
  const stock = await test.app.inject({
    method: 'POST',
    url: `/api/products/${productId}/stock`,
    headers: rival.auth,
    payload: { delta: -1, reason: 'hijack' }
  })

  for (const response of [patch, stock]) {
    t.equal(response.statusCode, 404)
    t.match(response.headers['content-type'], PROBLEM)
  }
  t.same(await businessEventsAfter(test, before), [], 'nothing appended')
  t.same(await securityEventsAfter(test, before),
    ['AccessDenied', 'AccessDenied'], 'both attempts are recorded')
  t.not((await getProduct(productId, position)).json().title, 'Hijacked')
})

t.test('a SKU already listed, in any case, is a conflict that appends nothing', async (t) => {
  const body = newProduct()
  await listProduct(test, vendor, { sku: body.sku })
  const before = await lastPosition(test)

  for (const sku of [body.sku, body.sku.toLowerCase()]) {
    const response = await test.app.inject({
      method: 'POST', url: '/api/products', headers: rival.auth,
      payload: newProduct({ sku })
    })
    t.equal(response.statusCode, 409, sku)
    t.match(response.headers['content-type'], PROBLEM)
    t.equal(response.json().errors?.[0]?.field, 'body.sku')
  }
  t.equal(await lastPosition(test), before)
})

t.test('pages of the catalogue cover every product exactly once', async (t) => {
  const seller = await signUp(test, 'vendor')
  const listed: string[] = []
  for (let i = 0; i < 7; i++) {
    const category = i % 2 === 0 ? 'garden' : 'tools'
    listed.push((await listProduct(test, seller, { category })).productId)
  }
  const position = (await lastPosition(test)).toString()

  interface Listed { productId: string, category: string }
  const fetchPage = (query: string) => async (after: string | undefined):
  Promise<{ items: Listed[], nextCursor: string | null }> => {
    const response = await test.app.inject({
      method: 'GET',
      url: `/api/products?${query}${after === undefined ? '' : `&after=${after}`}`,
      headers: { 'x-min-position': position }
    })
    t.equal(response.statusCode, 200)

    return response.json()
  }
  const ids = (items: Listed[]) => items.map((p) => p.productId)

  const mine = ids(await collectPages(fetchPage(
    `vendorId=${seller.userId}&limit=3`)))
  t.same(mine, listed, 'in listing order, each once')

  const everything = ids(await collectPages(fetchPage('limit=4')))
  t.equal(new Set(everything).size, everything.length, 'no duplicates')
  t.ok(listed.every((id) => everything.includes(id)))

  const garden = await collectPages(fetchPage(
    `vendorId=${seller.userId}&category=garden&limit=2`))
  t.same(ids(garden), listed.filter((_, i) => i % 2 === 0))
  t.ok(garden.every((p) => p.category === 'garden'))
})

t.test('a cursor the API never issued is a 400 naming it', async (t) => {
  for (const after of ['not-a-cursor', Buffer.from('{"seq":"x"}')
    .toString('base64url')]) {
    const response = await test.app.inject({
      method: 'GET', url: `/api/products?after=${after}`
    })
    t.equal(response.statusCode, 400)
    t.match(response.headers['content-type'], PROBLEM)
    t.equal(response.json().errors[0].field, 'querystring.after')
  }
})

t.test('an unknown product is 404', async (t) => {
  const response = await test.app.inject({
    method: 'GET', url: '/api/products/00000000-0000-4000-8000-000000000000'
  })

  t.equal(response.statusCode, 404)
  t.match(response.headers['content-type'], PROBLEM)
})
