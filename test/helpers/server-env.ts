/**
 * The environment a real server (startServer) or the CLI runs on in a
 * test: a throw-away data folder, secrets made at test time, and a scratch
 * PostgreSQL database when TEST_DATABASE_URL is set (PGlite otherwise).
 * Both are removed on teardown.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { createScratchDatabase, TEST_DATABASE_URL } from './database.ts'

interface Teardown { teardown(fn: () => unknown): void }

export interface ServerEnv {
  readonly dataDir: string
  /** The scratch database's URL; undefined on PGlite. */
  readonly databaseUrl?: string
  /** The variables, with overrides on top. */
  env(overrides?: Record<string, string>): Record<string, string>
}

export async function createServerEnv (t: Teardown): Promise<ServerEnv> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cr-server-'))
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
  const scratch = TEST_DATABASE_URL === undefined
    ? undefined
    : await createScratchDatabase(TEST_DATABASE_URL)
  t.teardown(async () => { await scratch?.drop() })
  const secret = () => randomBytes(32).toString('base64')
  const base = {
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    JWT_SECRET: secret(),
    KEY_ENCRYPTION_KEY: secret(),
    BLIND_INDEX_KEY: secret(),
    ...(scratch === undefined ? {} : { DATABASE_URL: scratch.url })
  }

  return {
    dataDir,
    ...(scratch === undefined ? {} : { databaseUrl: scratch.url }),
    env: (overrides = {}) => ({ ...base, ...overrides })
  }
}
