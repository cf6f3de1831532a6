/**
 * The server a load talks to, and the admin it acts as. Without a URL the
 * loader starts the server in this process, on whatever engines the
 * environment configures, listening on a free port, and bootstraps its own
 * admin directly (the API cannot create one), exempting only loopback from
 * its rate limits. With a URL, the admin's credentials come from the
 * environment, and that server's operator exempts the loader's address
 * (RATE_LIMIT_EXEMPT_IPS).
 */
import { operatorContext } from '../cli/with-runtime.ts'
import { registerUser } from '../commands/users/register-user.ts'
import { loadConfig } from '../config/load-config.ts'
import { startServer } from '../http/server.ts'
import { LoaderError } from './loader-error.ts'
import { createStrongPassword } from './replay-context.ts'

export interface LoadTarget {
  readonly url: string
  readonly engine: string
  readonly admin: { readonly email: string, readonly password: string }
  close(): Promise<void>
}

export const ADMIN_EMAIL_ENV = 'CLOUDRETAIL_ADMIN_EMAIL'
export const ADMIN_PASSWORD_ENV = 'CLOUDRETAIL_ADMIN_PASSWORD'
const LOOPBACK = ['127.0.0.1', '::1']

export async function openTarget (
  url: string | undefined,
  runId: string,
  env: NodeJS.ProcessEnv
): Promise<LoadTarget> {
  return url === undefined
    ? startInProcess(runId, env)
    : connectRemote(url, env)
}

async function startInProcess (runId: string, env: NodeJS.ProcessEnv) {
  // The server's request log would drown the loader's own output; it still
  // reports warnings and errors, or whatever LOG_LEVEL asks for.
  const configured = loadConfig(env)
  const config = { ...configured, port: 0,
    logLevel: env.LOG_LEVEL ?? 'warn',
    // This server lives for one load and the loader is its only client:
    // its 272 sign-ups from one address would spend the login tier's 100
    // a day. Other clients reaching it are still limited.
    rateLimitExemptIps: [...configured.rateLimitExemptIps, ...LOOPBACK] }
  const server = await startServer(config)
  try {
    const admin = {
      email: `load-admin+${runId}@cloudretail.example`,
      password: createStrongPassword()
    }
    await registerUser(server.runtime.services, operatorContext(), {
      email: admin.email,
      username: `load-admin_${runId}`,
      password: admin.password,
      firstName: 'Load',
      lastName: 'Operator',
      // The operator accepts the privacy policy for a staff account.
      gdprConsent: true
    }, 'admin')

    return {
      url: server.url,
      engine: server.runtime.database.engine,
      admin,
      close: () => server.stop()
    }
  } catch (error) {
    await server.stop()
    throw error
  }
}

function connectRemote (url: string, env: NodeJS.ProcessEnv): LoadTarget {
  const email = env[ADMIN_EMAIL_ENV]
  const password = env[ADMIN_PASSWORD_ENV]
  if (email === undefined || email === '' ||
    password === undefined || password === '') {
    throw new LoaderError('CR_ERR_LOADER_ADMIN_CREDENTIALS',
      `loading into ${url} needs an admin: set ${ADMIN_EMAIL_ENV} and ` +
      `${ADMIN_PASSWORD_ENV}`)
  }

  return {
    url,
    engine: 'remote',
    admin: { email, password },
    close: async () => {}
  }
}
