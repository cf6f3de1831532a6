/**
 * RATE_LIMIT_EXEMPT_IPS: the operator's explicit list of clients never
 * limited (a loader, a monitoring host). Nothing is exempt unless listed,
 * the list is matched on the address seen through trusted proxies only,
 * and a malformed entry stops the start-up.
 */
import t from 'tap'

import { loadConfig } from '../../../src/config/load-config.ts'
import { buildExemptList } from '../../../src/http/rate-limit/client-address.ts'
import { buildTestApp } from '../../helpers/app.ts'
import { emptyLogin, statusesOf } from '../../helpers/rate-limit.ts'

const SECRETS = {
  JWT_SECRET: Buffer.alloc(32, 1).toString('base64'),
  KEY_ENCRYPTION_KEY: Buffer.alloc(32, 2).toString('base64'),
  BLIND_INDEX_KEY: Buffer.alloc(32, 3).toString('base64')
}

t.test('nothing is exempt unless the operator lists it, in production too',
  async (t) => {
    const config = loadConfig({ ...SECRETS, NODE_ENV: 'production',
      DATABASE_URL: 'postgres://db/cloudretail' }, () => {})
    t.same(config.rateLimitExemptIps, [])

    const listed = loadConfig({ ...SECRETS,
      RATE_LIMIT_EXEMPT_IPS: ' 10.1.2.3, 192.0.2.0/24 ,2001:db8::/48' },
    () => {})
    t.same(listed.rateLimitExemptIps,
      ['10.1.2.3', '192.0.2.0/24', '2001:db8::/48'])
  })

t.test('listed addresses and ranges are never limited; others still are',
  async (t) => {
    const test = await buildTestApp(t, {
      rateLimit: { exemptAddresses: ['10.1.2.3', '192.0.2.0/24'] }
    })

    const loader = await statusesOf(8, () => emptyLogin(test.app,
      { address: '10.1.2.3' }))
    t.notOk(loader.includes(429), 'the listed address')
    const inRange = await statusesOf(8, () => emptyLogin(test.app,
      { address: '::ffff:192.0.2.200' }))
    t.notOk(inRange.includes(429), 'an address in the listed range')
    const response = await emptyLogin(test.app, { address: '10.1.2.3' })
    t.equal(response.headers['ratelimit-policy'], undefined)

    const other = await statusesOf(6, () => emptyLogin(test.app,
      { address: '10.1.2.4' }))
    t.same(other.at(-1), 429, 'the address next to it')
  })

t.test('claiming an exempt address in X-Forwarded-For does not exempt anyone',
  async (t) => {
    const test = await buildTestApp(t, {
      rateLimit: { exemptAddresses: ['10.1.2.3'] }
    })

    const statuses = await statusesOf(6, () => emptyLogin(test.app, {
      address: '203.0.113.40', headers: { 'x-forwarded-for': '10.1.2.3' }
    }))
    t.same(statuses.at(-1), 429)
  })

t.test('a malformed exempt entry stops the start-up', async (t) => {
  for (const entry of ['localhost', '10.0.0.0/33', '10.0.0.1/', '::1/x',
    '10.0.0.0/8/1', '*', '']) {
    t.throws(() => buildExemptList([entry]),
      { message: /RATE_LIMIT_EXEMPT_IPS: .* is not an IP address or CIDR range/ },
      `'${entry}'`)
  }
  t.doesNotThrow(() => buildExemptList(['::1', '2001:db8::/32', '10.0.0.0/8']))
})
