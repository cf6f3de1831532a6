/**
 * Servers for loader tests: a fresh, empty engine as environment variables
 * (PGlite in a temporary data folder, or a scratch PostgreSQL database when
 * TEST_DATABASE_URL is set), and a server listening on a port with an
 * admin of its own, for loads given --url.
 */
import { operatorContext } from '../../src/cli/with-runtime.ts'
import { registerUser } from '../../src/commands/users/register-user.ts'
import { loadConfig } from '../../src/config/load-config.ts'
import { startServer } from '../../src/http/server.ts'
import type { Runtime } from '../../src/runtime/open-runtime.ts'
import { createServerEnv } from '../helpers/server-env.ts'

interface Teardown { teardown(fn: () => unknown): void }

export interface LoadServer {
  readonly url: string
  readonly runtime: Runtime
  readonly admin: { readonly email: string, readonly password: string }
  /** The admin's credentials as the loader reads them with --url. */
  readonly env: NodeJS.ProcessEnv
}

/** Only the engine: the secrets are left for the embedded default to
 * generate, as on a fresh machine. */
export async function freshEnvironment (
  t: Teardown
): Promise<NodeJS.ProcessEnv> {
  const target = await createServerEnv(t)

  return { DATA_DIR: target.dataDir, DATABASE_URL: target.databaseUrl ?? '',
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
