/**
 * X-Forwarded-For decides the client address only when the peer is a
 * trusted proxy (TRUSTED_PROXIES); from anyone else a forged header must
 * not buy a fresh budget, and through a trusted proxy entries a client
 * prepends itself change nothing.
 */
import t from 'tap'

import { buildTestApp } from '../../helpers/app.ts'
import { emptyLogin, statusesOf } from '../../helpers/rate-limit.ts'

const PROXY = '10.0.0.7'
const ATTACKER = '203.0.113.9'

function forged (index: number) {
  return { 'x-forwarded-for': `198.51.100.${index + 1}` }
}

t.test('without trusted proxies a forged X-Forwarded-For does not reset the budget',
  async (t) => {
    const test = await buildTestApp(t, { rateLimit: {} })

    const statuses = await statusesOf(7, (index) => emptyLogin(test.app,
      { address: ATTACKER, headers: forged(index) }))
    t.same(statuses, [400, 400, 400, 400, 400, 429, 429])
  })

t.test('through a trusted proxy each forwarded client has its own budget',
  async (t) => {
    const test = await buildTestApp(t, {
      trustedProxies: [PROXY], rateLimit: {}
    })

    const clients = await statusesOf(8, (index) => emptyLogin(test.app,
      { address: PROXY, headers: forged(index) }))
    t.same(clients, [400, 400, 400, 400, 400, 400, 400, 400],
      'eight clients behind the proxy, one attempt each')

    const one = await statusesOf(6, () => emptyLogin(test.app,
      { address: PROXY, headers: { 'x-forwarded-for': '192.0.2.44' } }))
    t.same(one, [400, 400, 400, 400, 400, 429], 'one client still has five')
  })

t.test('entries a client prepends before the proxy\'s are ignored', async (t) => {
  const test = await buildTestApp(t, {
    trustedProxies: [PROXY], rateLimit: {}
  })

  // The proxy appends the address it saw; whatever came before is the
  // client's own claim.
  const statuses = await statusesOf(6, (index) => emptyLogin(test.app, {
    address: PROXY,
    headers: { 'x-forwarded-for': `198.51.100.${index + 1}, 192.0.2.45` }
  }))
  t.same(statuses, [400, 400, 400, 400, 400, 429])
})

t.test('an untrusted peer is keyed on itself even when a proxy is trusted',
  async (t) => {
    const test = await buildTestApp(t, {
      trustedProxies: [PROXY], rateLimit: {}
    })

    const statuses = await statusesOf(6, (index) => emptyLogin(test.app, {
      address: ATTACKER,
      headers: { 'x-forwarded-for': `${PROXY}, 198.51.100.${index + 1}` }
    }))
    t.same(statuses, [400, 400, 400, 400, 400, 429])
  })

t.test('an IPv6 client is keyed on its /64, and IPv4-mapped addresses as IPv4',
  async (t) => {
    const test = await buildTestApp(t, { rateLimit: {} })

    const v6 = await statusesOf(6, (index) => emptyLogin(test.app,
      { address: `2001:db8:1:2::${index + 1}` }))
    t.same(v6, [400, 400, 400, 400, 400, 429])
    const mapped = await statusesOf(6, (index) => emptyLogin(test.app,
      { address: index % 2 === 0 ? '::ffff:192.0.2.60' : '192.0.2.60' }))
    t.same(mapped, [400, 400, 400, 400, 400, 429])
  })
