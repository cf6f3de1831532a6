/**
 * Servers for loader tests: a fresh, empty engine as environment variables
 * (PGlite in a temporary data folder, or a scratch PostgreSQL database when
 * TEST_DATABASE_URL is set), and a server listening on a port with an
 * admin of its own, for loads given --url.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { operatorContext } from '../../src/cli/with-runtime.ts'
import { registerUser } from '../../src/commands/users/register-user.ts'
import { loadConfig } from '../../src/config/load-config.ts'
import { startServer } from '../../src/http/server.ts'
import type { Runtime } from '../../src/runtime/open-runtime.ts'
import { createScratchDatabase, TEST_DATABASE_URL } from '../helpers/database.ts'

interface Teardown { teardown(fn: () => unknown): void }

export interface LoadServer {
  readonly url: string
  readonly runtime: Runtime
  readonly admin: { readonly email: string, readonly password: string }
  /** The admin's credentials as the loader reads them with --url. */
  readonly env: NodeJS.ProcessEnv
}

export async function freshEnvironment (
  t: Teardown
): Promise<NodeJS.ProcessEnv> {
  const dataDir = await mkdtemp(join(tmpdir(), 'cr-load-server-'))
  t.teardown(() => rm(dataDir, { recursive: true, force: true }))
  const scratch = TEST_DATABASE_URL === undefined
    ? undefined
    : await createScratchDatabase(TEST_DATABASE_URL)
  if (scratch !== undefined) t.teardown(() => scratch.drop())

  return { DATA_DIR: dataDir, DATABASE_URL: scratch?.url ?? '',
    LOG_LEVEL: 'error' }
}

/**
 * Runs `use` against a server on a fresh engine, then stops the server.
 * Stopped here rather than in a teardown: teardowns run in the order they
 * were added, and the scratch database's drop was added first.
 */
export async function withLoadServer<T> (
  t: Teardown,
  use: (server: LoadServer) => Promise<T>
): Promise<T> {
  // As an operator would, for a loader on this machine (see the README).
  const config = { ...loadConfig({ ...await freshEnvironment(t),
    RATE_LIMIT_EXEMPT_IPS: '127.0.0.1,::1' }), port: 0 }
  const server = await startServer(config)
  try {
    const admin = { email: 'ops@cloudretail.example',
      password: 'Night-Shift-Pa55word!x' }
    await registerUser(server.runtime.services, operatorContext(), {
      ...admin, username: 'ops', firstName: 'Ops', lastName: 'Admin',
      gdprConsent: true
    }, 'admin')

    return await use({
      url: server.url,
      runtime: server.runtime,
      admin,
      env: { CLOUDRETAIL_ADMIN_EMAIL: admin.email,
        CLOUDRETAIL_ADMIN_PASSWORD: admin.password }
    })
  } finally {
    await server.stop()
  }
}
