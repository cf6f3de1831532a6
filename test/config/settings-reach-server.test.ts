/**
 * The operator's settings, from the environment through loadConfig to the
 * real server (startServer): the tests of each rule build the app with
 * options, so this shows the variables are the ones those options come from.
 */
import { randomBytes } from 'node:crypto'

import t from 'tap'

import {
  loadConfig,
  MIN_METRICS_TOKEN_LENGTH
} from '../../src/config/load-config.ts'
import { REQUEST_TIMEOUT_MS } from '../../src/http/app.ts'
import { startServer } from '../../src/http/server.ts'
import { createServerEnv } from '../helpers/server-env.ts'

const { env } = await createServerEnv(t)
const METRICS_TOKEN = randomBytes(24).toString('base64')
const quiet = () => undefined

t.test('a metrics token shorter than 32 characters stops the configuration', async (t) => {
  const short = 'x'.repeat(MIN_METRICS_TOKEN_LENGTH - 1)

  t.throws(() => loadConfig(env({ METRICS_TOKEN: short }), quiet),
    { message: /METRICS_TOKEN must be at least 32 characters/ })
  t.notOk(String((() => {
    try { loadConfig(env({ METRICS_TOKEN: short }), quiet) } catch (error) {
      return (error as Error).message
    }
  })()).includes(short), 'the message does not quote the token')
})

t.test('origins, hosts, GDPR values and the metrics token reach the server', async (t) => {
  const server = await startServer(loadConfig(env({
    ALLOWED_ORIGINS: 'https://shop.example.eu,https://admin.example.eu',
    ALLOWED_HOSTS: 'api.example.eu',
    GDPR_REGION: 'EU-WEST',
    PRIVACY_POLICY_URL: 'https://example.eu/privacy',
    DATA_CONTROLLER: 'Example Shop GmbH',
    METRICS_TOKEN
  }), quiet))
  t.teardown(() => server.stop())
  const get = (url: string, headers: Record<string, string> = {}) =>
    server.app.inject({ method: 'GET', url,
      headers: { host: 'api.example.eu', ...headers } })

  const listed = await get('/api/products', { origin: 'https://admin.example.eu' })
  t.equal(listed.statusCode, 200)
  t.equal(listed.headers['access-control-allow-origin'],
    'https://admin.example.eu')
  t.equal(listed.headers['x-data-processing-region'], 'EU-WEST')
  t.equal(listed.headers['x-privacy-policy'], 'https://example.eu/privacy')
  t.equal(listed.headers['x-data-controller'], 'Example Shop GmbH')

  const defaultOrigin = await get('/api/products',
    { origin: 'https://cloudretail.com' })
  t.notOk(defaultOrigin.headers['access-control-allow-origin'],
    'the default origin is replaced, not added to')

  const otherHost = await get('/api/products', { host: 'evil.example.com' })
  t.equal(otherHost.statusCode, 400)
  t.equal(otherHost.json().code, 'CR_ERR_HTTP_HOST_NOT_ALLOWED')

  t.equal(server.app.server.requestTimeout, REQUEST_TIMEOUT_MS,
    'a request must arrive whole within the timeout, not trickle in')

  const metrics = await get('/metrics',
    { authorization: `Bearer ${METRICS_TOKEN}` })
  t.equal(metrics.statusCode, 200)
  t.match(metrics.body, /^# HELP /m)
})
