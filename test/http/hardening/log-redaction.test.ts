import t, { type Test } from 'tap'

import { buildLogger } from '../../../src/http/logger.ts'
import { buildTestApp, newRegistration, signUp } from '../../helpers/app.ts'
import { CapturedLog } from '../../helpers/hardening.ts'

const log = new CapturedLog()
const test = await buildTestApp(t, { logger: buildLogger('trace', log) })
const customer = await signUp(test)

// Each secret a unique marker, so any occurrence in the log is a leak.
const SECRETS = {
  bearer: 'eyJhbGciOiJIUzI1NiJ9.bearer-SECRET-1.sig',
  cookie: 'session=cookie-SECRET-2',
  apiKeyHeader: 'cloudretail_live_sk_header-SECRET-3',
  password: 'Password-SECRET-4!x',
  totp: '918273',
  backupCode: 'bkp-SECRET-5',
  apiKeyField: 'cloudretail_test_sk_field-SECRET-6',
  cardNumber: '4111111111111111',
  cardSpaced: '5500 0000 0000 0004',
  cvv: '987',
  bodyMarker: 'body-MARKER-7'
}

const nestedSecrets = {
  password: SECRETS.password,
  totpCode: SECRETS.totp,
  backupCodes: [SECRETS.backupCode, SECRETS.backupCode],
  integrations: [{ apiKey: SECRETS.apiKeyField }],
  payment: { card: { number: SECRETS.cardNumber, cvv: SECRETS.cvv },
    cards: [{ cardNumber: SECRETS.cardSpaced, cvc: SECRETS.cvv }] },
  note: SECRETS.bodyMarker
}

const headers = {
  authorization: `Bearer ${SECRETS.bearer}`,
  cookie: SECRETS.cookie,
  'x-api-key': SECRETS.apiKeyHeader
}

t.test('secrets sent to real routes never reach the log', async (t) => {
  const requests = [
    // valid registration (201), secrets in headers
    { method: 'POST', url: '/api/users/register', headers,
      payload: newRegistration({ password: SECRETS.password }) },
    // registration failing validation, secrets nested in the body
    { method: 'POST', url: '/api/users/register', headers,
      payload: { ...newRegistration(), ...nestedSecrets } },
    // wrong password (401)
    { method: 'POST', url: '/api/users/login', headers,
      payload: { email: customer.email, password: SECRETS.password } },
    // secrets in an array body
    { method: 'POST', url: '/api/orders', headers, payload: [nestedSecrets] },
    // secrets in the query string and the path
    { method: 'GET', headers,
      url: `/api/products?apiKey=${SECRETS.apiKeyField}&token=${SECRETS.bearer}` },
    { method: 'GET', headers, url: `/api/products/${SECRETS.cardNumber}` },
    { method: 'GET', headers, url: `/api/orders/${SECRETS.cardNumber}` },
    // malformed JSON quoting a secret
    { method: 'POST', url: '/api/users/login', headers: {
      ...headers, 'content-type': 'application/json' },
    payload: `{"password": "${SECRETS.password}", "cvv": "${SECRETS.cvv}"` }
  ] as const

  for (const request of requests) {
    const response = await test.app.inject(request)
    t.ok(response.statusCode < 500, `${request.method} ${request.url} ` +
      `answered ${response.statusCode}`)
  }

  assertNoSecret(t, log.text)
  t.ok(log.lines().length >= requests.length, 'the requests were logged')
})

t.test('credentials and emails are masked by their shape under any name', async (t) => {
  log.clear()
  const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJ1c2VySWQiOiJ4In0.shape-SECRET-8'
  const apiKey = `cloudretail_live_sk_${'k'.repeat(60)}SHAPE9`
  const email = 'victim.person@example.org'
  const urls = [
    `/api/products?key=${apiKey}`,
    `/api/products?x=${jwt}`,
    `/api/products?jwt=${jwt}&auth=${jwt}&session=${jwt}&sid=${jwt}`,
    `/api/products/${apiKey}`,
    `/api/products?email=${encodeURIComponent(email)}`,
    `/api/products?q=${email}`
  ]

  for (const url of urls) {
    const response = await test.app.inject({ method: 'GET', url })
    t.ok(response.statusCode < 500, `${url} answered ${response.statusCode}`)
  }
  test.app.log.info({ note: `pasted ${jwt} and ${apiKey} by ${email}` }, 'probe')

  for (const secret of [jwt, apiKey, 'SHAPE9', email, 'victim.person%40']) {
    t.notOk(log.text.includes(secret), `${secret.slice(0, 24)}… is not in the log`)
  }
  t.ok(log.lines().length >= urls.length, 'the requests were logged')
})

t.test('a request that fails with 500 logs its failure but no secret', async (t) => {
  log.clear()
  const store = test.services.store
  const append = store.append.bind(store)
  t.teardown(() => { store.append = append })
  store.append = async () => {
    // What a driver error can carry: values quoted in fields and message.
    throw Object.assign(new Error(`card ${SECRETS.cardNumber} refused`), {
      detail: `Key (password)=(${SECRETS.password}) already exists`,
      parameters: [SECRETS.password, SECRETS.apiKeyField],
      code: '23505'
    })
  }

  const response = await test.app.inject({
    method: 'POST',
    url: '/api/users/register',
    headers,
    payload: newRegistration({ password: SECRETS.password })
  })

  t.equal(response.statusCode, 500)
  t.notMatch(response.body, /card|refused|23505|SECRET/)
  const failure = log.lines().find((line) => line.statusCode === 500)
  t.match(failure, { level: 50, err: { message: 'card [redacted] refused',
    code: '23505' } })
  t.notOk(JSON.stringify(failure).includes('parameters'))
  assertNoSecret(t, log.text)
})

t.test('objects logged by any code are walked for secrets at any depth', async (t) => {
  log.clear()
  test.app.log.info({ headers, body: { deep: [[{ list: [nestedSecrets] }]] },
    'X-API-Key': SECRETS.apiKeyHeader, api_key: SECRETS.apiKeyField,
    code: SECRETS.totp, error: { code: 'CR_ERR_KEPT' } }, 'probe')

  // The note is plain data here, logged on purpose.
  assertNoSecret(t, log.text.replaceAll(SECRETS.bodyMarker, ''))
  t.match(log.text, /CR_ERR_KEPT/, 'error codes are kept')
  t.match(log.text, /\[redacted\]/)
})

t.test('ids are not mistaken for card numbers', async (t) => {
  // Its digits 9-0070-4185-9006 pass the Luhn check, as a card's would.
  const productId = 'e12ec7f9-0070-4185-9006-e12d80ccb5be'
  log.clear()

  await test.app.inject({ method: 'GET', url: `/api/products/${productId}` })
  test.app.log.info({ productId }, `looked up ${productId}`)

  t.ok(log.text.includes(`/api/products/${productId}`), 'the URL keeps the id')
  t.ok(log.text.includes(`looked up ${productId}`), 'so does a message')
  t.notMatch(log.text, /e12ec7f\[redacted\]/)
})

t.test('a card number glued to other text or percent-encoded is still masked', async (t) => {
  const card = SECRETS.cardNumber
  const urls = [`/api/products/x-${card}`, `/api/products/card${card}`,
    `/api/products/${card}x`, `/api/products/${card}-`,
    `/api/products/0x${card}`, `/api/products?category=card%3A${card}`,
    `/api/products?category=%2C${card}`, `/api/products?category=%22${card}%22`,
    '/api/products?category=4111+1111+1111+1111',
    '/api/products?category=4111%201111%201111%201111']
  log.clear()

  for (const url of urls) await test.app.inject({ method: 'GET', url })

  t.notOk(log.text.includes(card), 'no card digits in the log')
  t.notMatch(log.text, /4111\+1111/, 'nor spaced ones')
  // A masked query value is logged percent-encoded, as the query is.
  const masks = log.text.match(/\[redacted\]|%5Bredacted%5D/g) ?? []
  t.ok(masks.length >= urls.length, 'every URL was logged, masked')
})

// Digits-only secrets this short also turn up by chance inside durations
// and ids, so those are looked for as whole JSON strings, the way a leaked
// field would be written.
const SHORT_NUMERIC = new Set<string>([SECRETS.cvv, SECRETS.totp])

function assertNoSecret (t: Test, text: string) {
  for (const [name, value] of Object.entries(SECRETS)) {
    const leak = SHORT_NUMERIC.has(value) ? `"${value}"` : value
    t.notOk(text.includes(leak), `${name} is not in the log`)
  }
  t.notOk(text.includes(SECRETS.cardSpaced.replaceAll(' ', '')))
}
