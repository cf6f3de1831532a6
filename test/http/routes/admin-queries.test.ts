/**
 * Keyset paging and filters of the admin queries (GET /api/admin/users,
 * GET /api/admin/orders) and of a shopper's own orders (GET /api/orders),
 * through the real app: every page size covers every row once in one
 * order, each filter returns only matching rows, and a cursor that is not
 * one of ours is a 400 naming it.
 */
import t, { type Test } from 'tap'

import { buildTestApp, signUp, type SignedIn } from '../../helpers/app.ts'
import { listProduct } from '../../helpers/catalogue.ts'
import { collectPages } from '../../helpers/collect-pages.ts'
import { lastPosition } from '../../helpers/event-log.ts'
import { assertFieldProblem } from '../../helpers/hardening.ts'

interface UserItem { userId: string, role: string }
interface OrderItem {
  orderId: string
  customerId: string
  status: string
  lines: { productId: string }[]
}

// One app for the file, seeded once, in this order: the users register in
// it, and the orders are placed in it (so the newest is the last).
const test = await buildTestApp(t)
const admin = await signUp(test, 'admin')
const vendor = await signUp(test, 'vendor')
const auditor = await signUp(test, 'auditor')
const ann = await signUp(test)
const bob = await signUp(test)
const cy = await signUp(test)
const users = [admin, vendor, auditor, ann, bob, cy]

const kettle = await listProduct(test, vendor, { stock: 100 })
const teapot = await listProduct(test, vendor, { stock: 100 })

// Ann has four orders, Bob two, Cy one; the teapot is in three of them,
// and Ann's second and Bob's first are cancelled.
const placements: [SignedIn, string[]][] = [
  [ann, [kettle.productId]],
  [ann, [kettle.productId, teapot.productId]],
  [bob, [kettle.productId]],
  [cy, [teapot.productId]],
  [ann, [kettle.productId]],
  [bob, [teapot.productId, kettle.productId]],
  [ann, [kettle.productId]]
]
const orders: { orderId: string, customerId: string, products: string[],
  status: string }[] = []
for (const [customer, products] of placements) {
  const placed = await test.app.inject({
    method: 'POST',
    url: '/api/orders',
    headers: customer.auth,
    payload: { lines: products.map((productId) => ({ productId, quantity: 1 })) }
  })
  if (placed.statusCode !== 201) throw new Error(placed.body)
  orders.push({ orderId: placed.json().orderId, customerId: customer.userId,
    products, status: 'placed' })
}
for (const index of [1, 2]) {
  const order = orders[index]!
  const owner = users.find((u) => u.userId === order.customerId)!
  const cancelled = await test.app.inject({
    method: 'POST',
    url: `/api/orders/${order.orderId}/cancel`,
    headers: owner.auth,
    payload: {}
  })
  if (cancelled.statusCode !== 200) throw new Error(cancelled.body)
  order.status = 'cancelled'
}

/** Users oldest first; orders newest first. */
const userIds = users.map((u) => u.userId)
const orderIds = orders.map((o) => o.orderId).reverse()

async function get (url: string, caller: SignedIn) {
  return await test.app.inject({
    method: 'GET',
    url,
    headers: { ...caller.auth,
      'x-min-position': (await lastPosition(test)).toString() }
  })
}

/** Every page of a listing at one page size (from a cursor, or from the
 * start), each checked for its size. */
async function readAll<Item> (
  t: Test,
  path: string,
  caller: SignedIn,
  limit?: number,
  from?: string
): Promise<Item[]> {
  const join = path.includes('?') ? '&' : '?'

  return await collectPages<Item>(async (next) => {
    const after = next ?? from
    const query = [limit === undefined ? '' : `limit=${limit}`,
      after === undefined ? '' : `after=${after}`].filter((q) => q !== '')
    const response = await get(query.length === 0
      ? path
      : `${path}${join}${query.join('&')}`, caller)
    t.equal(response.statusCode, 200, response.body)
    t.notOk(response.headers['x-read-model-stale'])
    const page = response.json()
    t.ok(page.items.length <= (limit ?? 20), 'a page holds at most limit')

    return page
  })
}

/** Page sizes 1 to one past the number of rows, and the default. */
function pageSizes (rows: number) {
  return [undefined, ...Array.from({ length: rows + 1 }, (_, i) => i + 1)]
}

function assertCoversOnce (t: Test, ids: string[], expected: string[],
  what: string) {
  t.equal(new Set(ids).size, ids.length, `${what}: no row twice`)
  t.strictSame(ids, expected, `${what}: every row, in order`)
}

t.test('admin user pages of every size cover every user once, oldest first',
  async (t) => {
    for (const limit of pageSizes(userIds.length)) {
      const items = await readAll<UserItem>(t, '/api/admin/users', admin,
        limit)
      assertCoversOnce(t, items.map((u) => u.userId), userIds,
        `limit ${limit ?? 'default'}`)
    }
  })

t.test('the role filter returns only users of that role', async (t) => {
  const expected: Record<string, string[]> = {
    customer: [ann.userId, bob.userId, cy.userId],
    vendor: [vendor.userId],
    admin: [admin.userId],
    auditor: [auditor.userId]
  }
  for (const [role, ids] of Object.entries(expected)) {
    for (const limit of [1, 2, undefined]) {
      const items = await readAll<UserItem>(t,
        `/api/admin/users?role=${role}`, admin, limit)
      t.ok(items.every((u) => u.role === role), `only ${role}s`)
      assertCoversOnce(t, items.map((u) => u.userId), ids,
        `${role}, limit ${limit ?? 'default'}`)
    }
  }
})

t.test('admin order pages of every size cover every order once, newest first',
  async (t) => {
    for (const limit of pageSizes(orderIds.length)) {
      const items = await readAll<OrderItem>(t, '/api/admin/orders', admin,
        limit)
      assertCoversOnce(t, items.map((o) => o.orderId), orderIds,
        `limit ${limit ?? 'default'}`)
    }
  })

t.test('each order filter, alone or combined, returns only matching orders',
  async (t) => {
    const filters: [string, (o: typeof orders[number]) => boolean][] = [
      [`customerId=${ann.userId}`, (o) => o.customerId === ann.userId],
      [`customerId=${cy.userId}`, (o) => o.customerId === cy.userId],
      [`customerId=${vendor.userId}`, () => false],
      [`productId=${teapot.productId}`,
        (o) => o.products.includes(teapot.productId)],
      [`productId=${kettle.productId}`,
        (o) => o.products.includes(kettle.productId)],
      ['status=cancelled', (o) => o.status === 'cancelled'],
      ['status=placed', (o) => o.status === 'placed'],
      [`customerId=${ann.userId}&status=placed`,
        (o) => o.customerId === ann.userId && o.status === 'placed'],
      [`customerId=${bob.userId}&productId=${teapot.productId}`,
        (o) => o.customerId === bob.userId &&
          o.products.includes(teapot.productId)]
    ]
    for (const [filter, matches] of filters) {
      const expected = [...orders].reverse().filter(matches)
        .map((o) => o.orderId)
      for (const limit of [1, 2, undefined]) {
        const items = await readAll<OrderItem>(t,
          `/api/admin/orders?${filter}`, admin, limit)
        assertCoversOnce(t, items.map((o) => o.orderId), expected,
          `${filter}, limit ${limit ?? 'default'}`)
      }
    }
  })

t.test('filtered rows really carry what the filter names', async (t) => {
  const teapots = await readAll<OrderItem>(t,
    `/api/admin/orders?productId=${teapot.productId}`, admin)
  t.ok(teapots.length > 0)
  t.ok(teapots.every((o) => o.lines.some((l) =>
    l.productId === teapot.productId)), 'each holds a teapot line')

  const cancelled = await readAll<OrderItem>(t,
    '/api/admin/orders?status=cancelled', admin)
  t.strictSame(cancelled.map((o) => o.status), ['cancelled', 'cancelled'])

  const anns = await readAll<OrderItem>(t,
    `/api/admin/orders?customerId=${ann.userId}`, admin)
  t.ok(anns.every((o) => o.customerId === ann.userId))
})

t.test('a shopper\'s order pages hold their own orders only, each once',
  async (t) => {
    for (const customer of [ann, bob, cy]) {
      const own = [...orders].reverse()
        .filter((o) => o.customerId === customer.userId).map((o) => o.orderId)
      for (const limit of pageSizes(own.length)) {
        const items = await readAll<OrderItem>(t, '/api/orders', customer,
          limit)
        t.ok(items.every((o) => o.customerId === customer.userId),
          'nobody else\'s order')
        assertCoversOnce(t, items.map((o) => o.orderId), own,
          `${customer === ann ? 'ann' : customer === bob ? 'bob' : 'cy'}, ` +
          `limit ${limit ?? 'default'}`)
      }
    }
    t.strictSame(await readAll<OrderItem>(t, '/api/orders', vendor), [],
      'a shopper with no orders lists none')
  })

t.test('a shopper cannot list another customer\'s orders by filter',
  async (t) => {
    const response = await get(`/api/orders?customerId=${bob.userId}`, ann)

    assertFieldProblem(t, response, 'querystring.customerId')
  })

t.test('paging stays exact while rows are added between pages', async (t) => {
  const first = await get('/api/admin/users?limit=2', admin)
  const late = await signUp(test)
  const rest = await readAll<UserItem>(t, '/api/admin/users', admin, 2,
    first.json().nextCursor)
  assertCoversOnce(t, [...first.json().items, ...rest]
    .map((u: UserItem) => u.userId), [...userIds, late.userId],
  'a user registered mid-way comes last, nobody twice or missed')

  const newest = await get('/api/admin/orders?limit=1', admin)
  const placed = await test.app.inject({
    method: 'POST',
    url: '/api/orders',
    headers: late.auth,
    payload: { lines: [{ productId: kettle.productId, quantity: 1 }] }
  })
  t.equal(placed.statusCode, 201)
  const older = await readAll<OrderItem>(t, '/api/admin/orders', admin, 1,
    newest.json().nextCursor)
  assertCoversOnce(t, [...newest.json().items, ...older]
    .map((o: OrderItem) => o.orderId), orderIds,
  'an order placed mid-way is newer than the cursor: not on later pages')
  const now = await readAll<OrderItem>(t, '/api/admin/orders', admin, 3)
  t.equal(now[0]?.orderId, placed.json().orderId, 'it leads a fresh listing')
})

const BAD_CURSORS: [string, string][] = [
  ['not base64url JSON', 'bm90LWpzb24'],
  ['JSON without a seq', Buffer.from('{"id":1}').toString('base64url')],
  ['a seq that is not a position',
    Buffer.from('{"seq":"-1"}').toString('base64url')],
  ['characters no cursor has', 'abc.def'],
  ['too long', 'a'.repeat(201)]
]

t.test('a bad cursor is a 400 problem naming querystring.after', async (t) => {
  const routes: [string, SignedIn][] = [
    ['/api/admin/users', admin],
    ['/api/admin/orders', admin],
    ['/api/admin/orders?customerId=' + ann.userId, admin],
    ['/api/orders', ann]
  ]
  for (const [path, caller] of routes) {
    for (const [what, cursor] of BAD_CURSORS) {
      const join = path.includes('?') ? '&' : '?'
      const response = await get(`${path}${join}after=${cursor}`, caller)
      t.test(`${path}: ${what}`, async (t) => {
        assertFieldProblem(t, response, 'querystring.after')
      })
    }
  }
})

t.test('a bad filter value is a 400 problem naming the filter', async (t) => {
  const cases: [string, string][] = [
    ['/api/admin/users?role=owner', 'querystring.role'],
    ['/api/admin/orders?customerId=ann', 'querystring.customerId'],
    ['/api/admin/orders?productId=42', 'querystring.productId'],
    ['/api/admin/orders?status=shipped', 'querystring.status'],
    ['/api/admin/orders?limit=101', 'querystring.limit'],
    ['/api/orders?limit=0', 'querystring.limit']
  ]
  for (const [url, field] of cases) {
    const response = await get(url, url.startsWith('/api/orders')
      ? ann
      : admin)
    t.test(url, async (t) => assertFieldProblem(t, response, field))
  }
})
