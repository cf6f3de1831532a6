/**
 * The real server (startServer, on a loopback port): stop() lets a request
 * already in flight finish with its 2xx, refuses new connections, and lets
 * the projector catch up with what those last requests appended (its batch
 * commits with its checkpoint), so the read models are current when the
 * process exits.
 */
import { request as httpRequest } from 'node:http'
import { join } from 'node:path'

import t from 'tap'

import { loadConfig } from '../../../src/config/load-config.ts'
import { startServer } from '../../../src/http/server.ts'
import { openDatabase } from '../../../src/storage/database.ts'
import { newRegistration } from '../../helpers/app.ts'
import { createServerEnv } from '../../helpers/server-env.ts'

const target = await createServerEnv(t)
const config = loadConfig(target.env(), () => undefined)

t.test('stop finishes the request in flight, then refuses connections', async (t) => {
  const server = await startServer(config)
  const { port } = new URL(server.url)
  const arrived = new Promise((resolve) =>
    server.app.server.once('request', resolve))

  const registration = post(Number(port), '/api/users/register',
    newRegistration())
  await arrived
  const stopped = server.stop()
  const answer = await registration
  await stopped

  t.equal(answer.status, 201, answer.body)
  const { userId } = JSON.parse(answer.body) as { userId: string }
  await t.rejects(post(Number(port), '/api/users/register', newRegistration()),
    { code: 'ECONNREFUSED' }, 'new connections are refused')

  const database = await openDatabase(target.databaseUrl === undefined
    ? { pgliteDir: join(target.dataDir, 'pglite') }
    : { url: target.databaseUrl })
  t.teardown(() => database.close())
  const checkpoint = await database.db.selectFrom('projection_checkpoints')
    .select('position').where('name', '=', 'users').executeTakeFirst()
  const event = await database.db.selectFrom('events')
    .select('position').where('stream_id', '=', `user-${userId}`)
    .executeTakeFirst()
  const row = await database.db.selectFrom('rm_users')
    .select('user_id').where('user_id', '=', userId).executeTakeFirst()
  t.ok(event, 'the registration was stored')
  t.ok(BigInt(checkpoint?.position ?? 0) >= BigInt(event?.position ?? 0),
    'the projector caught up with the last request before it stopped')
  t.ok(row, 'so the read model already holds the new user')
})

function post (port: number, path: string, body: unknown) {
  return new Promise<{ status: number, body: string }>((resolve, reject) => {
    const text = JSON.stringify(body)
    const request = httpRequest({ host: '127.0.0.1', port, path,
      method: 'POST', headers: { 'content-type': 'application/json',
        'content-length': Buffer.byteLength(text) } }, (response) => {
      let received = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => { received += chunk })
      response.on('end', () => resolve({ status: response.statusCode ?? 0,
        body: received }))
    })
    request.on('error', reject)
    request.end(text)
  })
}
