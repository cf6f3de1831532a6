/**
 * `keys rotate-kek` as an operator runs it: every stored key is re-wrapped
 * under the new key-encryption key, a KEK the embedded default generated is
 * replaced in its file (so the next start opens the keys), and a server
 * given a KEK that opens no stored key refuses to start instead of failing
 * every request that touches personal data.
 */
import { randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import t from 'tap'

import { loadConfig } from '../../src/config/load-config.ts'
import { generatedSecretFile } from '../../src/config/secrets.ts'
import { startServer } from '../../src/http/server.ts'
import { createCliTarget, runCli } from '../helpers/cli.ts'

const ADMIN = {
  email: 'key.keeper@example.com',
  username: 'keykeeper',
  password: 'Sturdy-Lantern-Fig-42!'
}

const target = await createCliTarget(t)
// As `npm start` runs: no KEY_ENCRYPTION_KEY, so one is generated.
const generatedEnv = Object.fromEntries(Object.entries(target.env)
  .filter(([name]) => name !== 'KEY_ENCRYPTION_KEY'))
const kekFile = generatedSecretFile(target.env.DATA_DIR!, 'KEY_ENCRYPTION_KEY')
const quiet = () => undefined

async function adminLogsIn (env: Record<string, string>) {
  const server = await startServer(loadConfig(env, quiet))
  try {
    const login = await server.app.inject({ method: 'POST',
      url: '/api/users/login',
      payload: { email: ADMIN.email, password: ADMIN.password } })

    return login.statusCode
  } finally {
    await server.stop()
  }
}

const created = await runCli(['users', 'create-admin', '--email', ADMIN.email,
  '--username', ADMIN.username], generatedEnv,
{ input: `${ADMIN.password}\n` })
if (created.code !== 0) throw new Error(created.stderr)

t.test('on the embedded default the generated KEK is replaced in its file', async (t) => {
  const oldKek = readFileSync(kekFile, 'utf8').trim()
  const newKek = randomBytes(32).toString('base64')
  const file = join(target.env.DATA_DIR!, 'new-kek')
  writeFileSync(file, newKek)

  const result = await runCli(['keys', 'rotate-kek', file], generatedEnv)

  t.equal(result.code, 0, result.stderr)
  t.match(result.stdout, /^re-wrapped [1-9]\d* keys\nreplaced the generated key in /)
  t.equal(readFileSync(kekFile, 'utf8').trim(), newKek)
  t.not(newKek, oldKek)
  t.equal(await adminLogsIn(generatedEnv), 200, 'the next start opens the keys')
})

t.test('with a configured KEK the server refuses to start on the old one', async (t) => {
  const current = readFileSync(kekFile, 'utf8').trim()
  const configured = { ...generatedEnv, KEY_ENCRYPTION_KEY: current }
  const newKek = randomBytes(32).toString('base64')
  const file = join(target.env.DATA_DIR!, 'newer-kek')
  writeFileSync(file, newKek)

  const result = await runCli(['keys', 'rotate-kek', file], configured)

  t.equal(result.code, 0, result.stderr)
  t.match(result.stdout, /now configure KEY_ENCRYPTION_KEY/)
  t.equal(readFileSync(kekFile, 'utf8').trim(), current,
    'a configured key is the operator\'s to change, not the file\'s')
  await t.rejects(startServer(loadConfig(configured, quiet)),
    /wrapped under a key-encryption key this server was not given/)
  t.equal(await adminLogsIn({ ...configured, KEY_ENCRYPTION_KEY: newKek }),
    200, 'the new key opens them')
})
