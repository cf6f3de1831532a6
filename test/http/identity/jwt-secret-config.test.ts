/**
 * The 256-bit floor for the signing secret, through the configuration and
 * through the real server start, and the previous secret for rotation.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import t from 'tap'

import { loadConfig } from '../../../src/config/load-config.ts'
import { startServer } from '../../../src/http/server.ts'
import {
  createScratchDatabase,
  TEST_DATABASE_URL
} from '../../helpers/database.ts'

const dataDir = mkdtempSync(join(tmpdir(), 'cr-jwt-secret-'))
t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))

const base64 = (bytes: number) => randomBytes(bytes).toString('base64')
const env = (overrides: Record<string, string> = {}) => ({
  DATA_DIR: dataDir,
  HOST: '127.0.0.1',
  PORT: '0',
  LOG_LEVEL: 'silent',
  JWT_SECRET: base64(32),
  KEY_ENCRYPTION_KEY: base64(32),
  BLIND_INDEX_KEY: base64(32),
  ...overrides
})
const quiet = () => undefined

t.test('a JWT secret of 255 bits stops the configuration, 256 bits pass', async (t) => {
  t.throws(() => loadConfig(env({ JWT_SECRET: base64(31) }), quiet),
    { code: 'CR_ERR_CONFIG_SECRET', message: /JWT_SECRET.*256 bits/ })
  t.equal(loadConfig(env(), quiet).secrets.jwtSecret.length, 32)

  const file = join(dataDir, 'short-jwt')
  writeFileSync(file, base64(16))
  t.throws(() => loadConfig({ ...env(), JWT_SECRET_FILE: file }, quiet),
    { code: 'CR_ERR_CONFIG_SECRET' }, 'from a mounted file too')
})

t.test('the previous secret is optional, read like the others, and held to the same floor', async (t) => {
  t.equal(loadConfig(env(), quiet).secrets.jwtPreviousSecret, undefined)

  const previous = randomBytes(32)
  t.same(loadConfig(env({ JWT_PREVIOUS_SECRET: previous.toString('base64') }),
    quiet).secrets.jwtPreviousSecret, previous)
  const file = join(dataDir, 'previous-jwt')
  writeFileSync(file, `${previous.toString('base64url')}\n`)
  t.same(loadConfig(env({ JWT_PREVIOUS_SECRET_FILE: file }), quiet)
    .secrets.jwtPreviousSecret, previous)

  t.throws(() => loadConfig(env({ JWT_PREVIOUS_SECRET: base64(20) }), quiet),
    { code: 'CR_ERR_CONFIG_SECRET', message: /JWT_PREVIOUS_SECRET/ })
  t.throws(() => loadConfig(env({ JWT_PREVIOUS_SECRET: 'not base64!' }),
    quiet), { code: 'CR_ERR_CONFIG_SECRET' })
})

t.test('the server refuses to start with a short secret and holds nothing after', async (t) => {
  const scratch = TEST_DATABASE_URL === undefined
    ? undefined
    : await createScratchDatabase(TEST_DATABASE_URL)
  t.teardown(async () => { await scratch?.drop() })
  const config = loadConfig(env(scratch === undefined
    ? {}
    : { DATABASE_URL: scratch.url }), quiet)

  await t.rejects(startServer({ ...config,
    secrets: { ...config.secrets, jwtSecret: randomBytes(16) } },
  { withProjector: false }), { code: 'CR_ERR_CONFIG_SECRET' })

  // The refused start released the data folder and its connections: a
  // proper start on the same folder works.
  const server = await startServer(config, { withProjector: false })
  t.teardown(() => server.stop())
  const health = await fetch(`${server.url}/health/live`)
  t.equal(health.status, 200)
})
