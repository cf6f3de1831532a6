import t from 'tap'

import { buildTestApp, newRegistration, signUp } from '../../helpers/app.ts'
import { eventsAfter, lastPosition } from '../../helpers/event-log.ts'
import { assertProblem } from '../../helpers/hardening.ts'

const test = await buildTestApp(t)
const admin = await signUp(test, 'admin')

t.test('__proto__ and constructor.prototype bodies are refused and append nothing', async (t) => {
  const body = JSON.stringify(newRegistration())
  const poisoned = [
    body.replace(/^\{/, '{"__proto__":{"role":"admin"},'),
    body.replace(/^\{/, '{"constructor":{"prototype":{"role":"admin"}},'),
    body.replace('"address":{', '"address":{"__proto__":{"isAdmin":true},'),
    body.replace('"address":{',
      '"address":{"constructor":{"prototype":{"isAdmin":true}},'),
    '[{"__proto__":{"polluted":true}}]'
  ]
  const before = await lastPosition(test)

  for (const payload of poisoned) {
    const response = await test.app.inject({
      method: 'POST',
      url: '/api/users/register',
      headers: { 'content-type': 'application/json' },
      payload
    })
    assertProblem(t, response, 400)
  }

  t.equal(await lastPosition(test), before, 'nothing was appended')
  t.equal(({} as Record<string, unknown>).role, undefined,
    'Object.prototype is untouched')
  t.equal(({} as Record<string, unknown>).polluted, undefined)
})

t.test('a body in any media type but JSON is a 415 that appends nothing', async (t) => {
  const json = JSON.stringify(newRegistration())
  const bodies: [string | undefined, string][] = [
    ['text/plain', json],
    ['text/plain; charset=utf-8', json],
    ['application/x-www-form-urlencoded', 'email=a%40b.c&password=x'],
    ['multipart/form-data; boundary=xyz',
      '--xyz\r\nContent-Disposition: form-data; name="email"\r\n\r\n' +
      'a@b.c\r\n--xyz--\r\n'],
    ['application/xml', '<user><role>admin</role></user>'],
    ['application/json-patch+json', json],
    ['application/jsonx', json],
    ['text/json', json],
    [undefined, json]
  ]
  const before = await lastPosition(test)

  for (const [type, payload] of bodies) {
    const response = await test.app.inject({
      method: 'POST',
      url: '/api/users/register',
      headers: type === undefined ? {} : { 'content-type': type },
      payload
    })
    t.test(type ?? 'no content type', async (t) => {
      assertProblem(t, response, 415)
    })
  }

  t.equal(await lastPosition(test), before)
})

t.test('a JSON body that is not valid UTF-8 is a 400 that appends nothing', async (t) => {
  const before = await lastPosition(test)
  const payload = Buffer.concat([
    Buffer.from(JSON.stringify(newRegistration()).replace('"Ada"', '"Ad')),
    Buffer.from([0xc3, 0x28, 0xff]),
    Buffer.from('"')
  ])
  t.ok(payload.includes(Buffer.from([0xff])))

  const response = await test.app.inject({
    method: 'POST',
    url: '/api/users/register',
    headers: { 'content-type': 'application/json' },
    payload
  })

  assertProblem(t, response, 400)
  t.equal(await lastPosition(test), before)
})

t.test('half of a surrogate pair is a 400 naming its field, and appends nothing', async (t) => {
  const before = await lastPosition(test)
  const json = JSON.stringify(newRegistration())

  for (const [text, field] of [
    [json.replace('"Ada"', '"Ada\\ud800"'), 'body.firstName'],
    [json.replace('"Ada"', '"\\udfffAda"'), 'body.firstName'],
    [json.replace('"London"', '"Lon\\udc00don"'), 'body.address.city'],
    [json.replace('"gdprConsent"', '"gdpr\\ud83dConsent"'), 'body']
  ]) {
    const response = await test.app.inject({
      method: 'POST',
      url: '/api/users/register',
      headers: { 'content-type': 'application/json' },
      payload: text
    })

    assertProblem(t, response, 400)
    t.equal(response.json().code, 'CR_ERR_HTTP_LONE_SURROGATE')
    t.match(response.json().errors, [{ field }])
  }
  t.equal(await lastPosition(test), before)

  const paired = await test.app.inject({
    method: 'POST',
    url: '/api/users/register',
    headers: { 'content-type': 'application/json' },
    payload: json.replace('"Ada"', '"Ada \\ud83d\\ude00"')
  })
  t.equal(paired.statusCode, 201, 'a whole pair (an emoji) is text')
})

t.test('a role smuggled into a registration is refused, not ignored', async (t) => {
  const before = await lastPosition(test)

  const response = await test.app.inject({
    method: 'POST',
    url: '/api/users/register',
    payload: newRegistration({ role: 'admin' })
  })

  assertProblem(t, response, 400)
  t.same((await eventsAfter(test, before)).map((e) => e.type),
    ['PrivilegeEscalationAttempted'], 'only the attempt is recorded')
})

t.test('every string and array a client can send is bounded', async (t) => {
  const response = await test.app.inject({ method: 'GET', url: '/docs/json' })
  t.equal(response.statusCode, 200)
  const document = response.json() as {
    paths: Record<string, Record<string, OpenApiOperation>>
  }
  const unbounded: string[] = []
  let inputs = 0

  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      for (const parameter of operation.parameters ?? []) {
        inputs++
        findUnbounded(parameter.schema,
          `${method} ${path} ${parameter.in}.${parameter.name}`, unbounded)
      }
      const body = operation.requestBody?.content['application/json']?.schema
      if (body !== undefined) {
        inputs++
        findUnbounded(body, `${method} ${path} body`, unbounded)
      }
    }
  }

  t.ok(inputs > 30, `${inputs} inputs checked`)
  t.same(unbounded, [], 'no unbounded string or array')
})

interface OpenApiOperation {
  parameters?: { in: string, name: string, schema: unknown }[]
  requestBody?: { content: Record<string, { schema: unknown }> }
}

function findUnbounded (schema: unknown, where: string, found: string[]) {
  if (typeof schema !== 'object' || schema === null) return

  const node = schema as Record<string, unknown>
  const bounded = node.maxLength !== undefined || node.enum !== undefined ||
    node.const !== undefined
  if (node.type === 'string' && !bounded) found.push(where)
  if (node.type === 'array' && node.maxItems === undefined) found.push(where)
  if (node.type === 'object' && node.additionalProperties !== false &&
    where.endsWith('body')) {
    found.push(`${where} (open object)`)
  }

  for (const [key, value] of Object.entries(node)) {
    if (key === 'properties') {
      for (const [name, child] of Object.entries(value as object)) {
        findUnbounded(child, `${where}.${name}`, found)
      }
    } else if (key === 'items') {
      findUnbounded(value, `${where}[]`, found)
    } else if (key === 'anyOf' || key === 'oneOf' || key === 'allOf') {
      for (const child of value as unknown[]) findUnbounded(child, where, found)
    }
  }
}

t.test('a Host outside ALLOWED_HOSTS is refused before any route runs', async (t) => {
  const guarded = await buildTestApp(t, {
    allowedHosts: ['api.cloudretail.com', 'localhost']
  })
  const before = await lastPosition(guarded)
  const hosts = ['evil.com', 'api.cloudretail.com.evil.com',
    'evilapi.cloudretail.com', 'api.cloudretail.com.', 'api.cloudretail.com@evil.com',
    'api.cloudretail.com evil.com', '127.0.0.1', '[::1]:3000']

  for (const host of hosts) {
    const response = await guarded.app.inject({
      method: 'POST', url: '/api/users/register',
      headers: { host }, payload: newRegistration()
    })
    t.test(`Host ${JSON.stringify(host)}`, async (t) => {
      assertProblem(t, response, 400)
      t.equal(response.json().code, 'CR_ERR_HTTP_HOST_NOT_ALLOWED')
      t.ok(response.headers['content-security-policy'])
    })
  }
  t.equal(await lastPosition(guarded), before, 'nothing was appended')

  for (const host of ['api.cloudretail.com', 'API.CloudRetail.com:443',
    'localhost:3000']) {
    const response = await guarded.app.inject({
      method: 'GET', url: '/api/products', headers: { host }
    })
    t.equal(response.statusCode, 200, `Host ${host} is served`)
  }
  const probe = await guarded.app.inject({
    method: 'GET', url: '/health/live', headers: { host: '10.0.0.7:3000' }
  })
  t.equal(probe.statusCode, 200, 'probes answer by pod address')
})

t.test('without ALLOWED_HOSTS any Host is served', async (t) => {
  const response = await test.app.inject({
    method: 'GET', url: '/api/products', headers: { host: 'anything.example' }
  })

  t.equal(response.statusCode, 200)
  t.ok(admin.token)
})
