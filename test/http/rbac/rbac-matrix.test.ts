/**
 * The security architecture's RBAC table, route by route: every route the
 * app serves is called as nobody and as each role, and the status must be
 * what the table says. A route missing from CASES fails the first test, so
 * every new route has to be classified here.
 *
 * Authorisation runs before validation (onRequest guards), so a 400 to a
 * deliberately invalid body proves the caller got past the guard; where a
 * body would change something lasting (passwords, second factors), that is
 * what the case sends.
 */
import t from 'tap'

import type { Role } from '../../../src/commands/users/events.ts'
import { createKey } from '../../helpers/api-keys.ts'
import {
  buildTestApp,
  newRegistration,
  signUp,
  type SignedIn
} from '../../helpers/app.ts'
import { listProduct, newProduct } from '../../helpers/catalogue.ts'

type Who = 'nobody' | Role

const ROLES: readonly Role[] = ['customer', 'vendor', 'admin', 'auditor']
const EVERYONE: readonly Who[] = ['nobody', ...ROLES]
const SIGNED_IN: readonly Role[] = ROLES
const SHOPPERS: readonly Role[] = ['customer', 'vendor', 'admin']
const SELLERS: readonly Role[] = ['vendor', 'admin']
const ADMINS: readonly Role[] = ['admin']
const AUDIT: readonly Role[] = ['auditor', 'admin']

/** public: everyone, even nobody; api-key: no bearer caller at all;
 * same: public, and the answer does not depend on who asks. */
type Access = readonly Role[] | 'public' | 'api-key' | 'same'

interface Case {
  readonly route: string
  readonly access: Access
  readonly url?: (who: Who) => string | Promise<string>
  readonly payload?: (who: Who) => unknown
  /** Status for an allowed caller; default any 2xx. */
  readonly status?: number
  /** Call as a fresh user of the role (the route ends the session or the
   * account). */
  readonly throwaway?: boolean
}

const test = await buildTestApp(t)
const users: Record<Role, SignedIn> = {
  customer: await signUp(test, 'customer'),
  vendor: await signUp(test, 'vendor'),
  admin: await signUp(test, 'admin'),
  auditor: await signUp(test, 'auditor')
}
const { productId } = await listProduct(test, users.vendor, { stock: 1000 })
const key = await createKey(test, users.admin, { scopes: ['read:products'] })
const ordersOf: Partial<Record<Who, string>> = {}
for (const role of SHOPPERS) ordersOf[role] = await placeOrder(users[role])
const bogusCode = { code: 'not-a-code' }

const CASES: readonly Case[] = [
  { route: 'GET /health/live', access: 'public' },
  { route: 'GET /health/ready', access: 'public' },
  { route: 'GET /docs', access: 'same' },
  { route: 'GET /docs/', access: 'same' },
  { route: 'GET /docs/json', access: 'public' },
  { route: 'GET /docs/yaml', access: 'public' },
  { route: 'GET /docs/static/index.html', access: 'same' },
  { route: 'GET /docs/static/swagger-initializer.js', access: 'public' },
  { route: 'GET /docs/*', access: 'same',
    url: () => '/docs/static/swagger-ui.css' },
  { route: 'POST /api/users/register', access: 'public', status: 201,
    payload: () => newRegistration() },
  { route: 'POST /api/users/login', access: 'public',
    payload: () => ({ email: users.customer.email,
      password: users.customer.password }) },
  { route: 'POST /api/users/login/2fa', access: 'same',
    payload: () => ({ challenge: 'x'.repeat(40), code: '123456' }) },
  { route: 'POST /api/users/logout', access: SIGNED_IN, throwaway: true },
  { route: 'GET /api/users/me', access: SIGNED_IN },
  { route: 'PATCH /api/users/me', access: SHOPPERS,
    payload: () => ({ firstName: 'Renamed' }) },
  { route: 'DELETE /api/users/me', access: SIGNED_IN, throwaway: true },
  { route: 'POST /api/users/me/password', access: SIGNED_IN, status: 400,
    payload: () => ({}) },
  { route: 'POST /api/users/me/2fa/setup', access: SIGNED_IN },
  { route: 'POST /api/users/me/2fa/confirm', access: SIGNED_IN, status: 400,
    payload: () => bogusCode },
  { route: 'POST /api/users/me/2fa/backup-codes', access: SIGNED_IN,
    status: 400, payload: () => bogusCode },
  { route: 'POST /api/users/me/2fa/disable', access: SIGNED_IN, status: 400,
    payload: () => bogusCode },
  { route: 'GET /api/products', access: 'public' },
  { route: 'GET /api/products/:id', access: 'public',
    url: () => `/api/products/${productId}` },
  { route: 'POST /api/products', access: SELLERS, status: 201,
    payload: () => newProduct() },
  { route: 'PATCH /api/products/:id', access: SELLERS,
    url: () => `/api/products/${productId}`,
    payload: () => ({ title: 'Retitled' }) },
  { route: 'POST /api/products/:id/stock', access: SELLERS,
    url: () => `/api/products/${productId}/stock`,
    payload: () => ({ delta: 1, reason: 'recount' }) },
  { route: 'POST /api/orders', access: SHOPPERS, status: 201,
    payload: () => ({ lines: [{ productId, quantity: 1 }] }) },
  { route: 'GET /api/orders', access: SHOPPERS },
  { route: 'GET /api/orders/:id', access: SHOPPERS,
    url: (who) => `/api/orders/${ordersOf[who] ?? ordersOf.customer}` },
  { route: 'POST /api/orders/:id/cancel', access: SHOPPERS,
    url: async (who) => `/api/orders/${who === 'nobody' || who === 'auditor'
      ? ordersOf.customer
      : await placeOrder(users[who])}/cancel`,
    payload: () => ({}) },
  { route: 'GET /api/vendor/orders', access: SELLERS },
  { route: 'GET /api/admin/users', access: ADMINS },
  { route: 'PUT /api/admin/users/:id/role', access: ADMINS,
    url: () => `/api/admin/users/${users.customer.userId}/role`,
    payload: () => ({ role: 'customer' }) },
  { route: 'GET /api/admin/orders', access: ADMINS },
  { route: 'GET /api/admin/projections', access: ADMINS },
  { route: 'POST /api/admin/api-keys', access: ADMINS, status: 201,
    payload: () => ({ name: 'matrix', environment: 'test',
      scopes: ['read:products'] }) },
  { route: 'GET /api/admin/api-keys', access: ADMINS },
  { route: 'DELETE /api/admin/api-keys/:id', access: ADMINS, status: 204,
    url: () => `/api/admin/api-keys/${key.keyId}` },
  { route: 'GET /api/audit/events', access: AUDIT },
  { route: 'GET /api/audit/streams/:stream/verify', access: AUDIT,
    url: () => `/api/audit/streams/user-${users.customer.userId}/verify` },
  { route: 'GET /api/webhooks/products', access: 'api-key' },
  { route: 'GET /api/webhooks/products/:id', access: 'api-key',
    url: () => `/api/webhooks/products/${productId}` },
  { route: 'GET /api/webhooks/orders', access: 'api-key' },
  { route: 'POST /api/webhooks/orders', access: 'api-key',
    payload: () => ({ lines: [{ productId, quantity: 1 }] }) }
]

t.test('every route the app serves is in the table, and only those', async (t) => {
  const served = servedRoutes(test.app.printRoutes({ commonPrefix: false }))
  const classified = CASES.map((c) => c.route)

  t.same(served.filter((route) => !classified.includes(route)), [],
    'routes nobody classified')
  t.same(classified.filter((route) => !served.includes(route)), [],
    'classified routes the app does not serve')
})

for (const c of CASES) {
  t.test(`${c.route} answers each caller as the RBAC table says`, async (t) => {
    const statuses: Partial<Record<Who, number>> = {}
    for (const who of EVERYONE) {
      const response = await call(c, who)
      statuses[who] = response.statusCode
      const expected = expectationOf(c, who)
      if (expected === 'any') continue
      if (expected === 'success') {
        t.ok(response.statusCode >= 200 && response.statusCode < 300,
          `${who} is allowed: ${response.statusCode} ${gist(response.body)}`)
      } else {
        t.equal(response.statusCode, expected, `${who}: ${gist(response.body)}`)
      }
    }
    if (c.access === 'same') {
      t.equal(new Set(Object.values(statuses)).size, 1,
        `one answer for everyone: ${JSON.stringify(statuses)}`)
      t.notOk([401, 403].includes(statuses.nobody!), 'and not a refusal')
    }
  })
}

function expectationOf (c: Case, who: Who): number | 'success' | 'any' {
  if (c.access === 'same') return 'any'
  if (c.access === 'api-key') return 401
  const allowed = c.access === 'public' ||
    (who !== 'nobody' && c.access.includes(who))
  if (allowed) return c.status ?? 'success'

  return who === 'nobody' ? 401 : 403
}

async function call (c: Case, who: Who) {
  const [method, path] = c.route.split(' ') as ['GET', string]
  const url = c.url === undefined ? path : await c.url(who)
  const caller = who === 'nobody'
    ? undefined
    : c.throwaway === true ? await signUp(test, who) : users[who]
  const payload = c.payload?.(who)

  return await test.app.inject({
    method,
    url,
    headers: caller?.auth ?? {},
    ...(payload === undefined ? {} : { payload: payload as object })
  })
}

async function placeOrder (user: SignedIn) {
  const response = await test.app.inject({
    method: 'POST',
    url: '/api/orders',
    headers: user.auth,
    payload: { lines: [{ productId, quantity: 1 }] }
  })
  if (response.statusCode !== 201) throw new Error(response.body)

  return response.json().orderId as string
}

// printRoutes draws a tree whose children continue their parent's path;
// HEAD is Fastify's automatic twin of GET and OPTIONS * the CORS preflight.
function servedRoutes (tree: string) {
  const stack: string[] = []
  const routes: string[] = []
  for (const line of tree.split('\n')) {
    const match = /^([│ ]*)[├└]── (\S+)(?: \(([^)]*)\))?/.exec(line)
    if (match === null) continue
    const depth = match[1]!.length / 4
    stack.length = depth
    const path = (stack[depth - 1] ?? '') + match[2]!
    stack[depth] = path
    for (const method of (match[3] ?? '').split(', ')) {
      if (method === '' || method === 'HEAD' || method === 'OPTIONS') continue
      routes.push(`${method} ${path}`)
    }
  }

  return [...new Set(routes)].sort()
}

/** Enough of an answer to see why, without pasting a whole page into the output. */
function gist (body: string) {
  return body.length > 160 ? `${body.slice(0, 160)}…` : body
}
