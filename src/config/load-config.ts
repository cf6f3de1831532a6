/**
 * One place that reads the environment. Each engine is chosen by whether its
 * URL is set (see the README's configuration table); nothing set means the
 * embedded default: PGlite in the data folder, events in it too, in-process
 * counters and revocations.
 */
import { resolve } from 'node:path'

import { loadSecret, readConfigured } from './secrets.ts'

export interface Secrets {
  /** HS256 signing key for session tokens. */
  readonly jwtSecret: Buffer
  /** Wraps every data subject's key (envelope encryption). */
  readonly keyEncryptionKey: Buffer
  /** Keys the blind indexes that find users without plaintext. */
  readonly blindIndexKey: Buffer
}

export interface Config {
  readonly production: boolean
  readonly dataDir: string
  /** postgres://… for a server; undefined for embedded PGlite. */
  readonly databaseUrl?: string
  /** esdb://… or kurrentdb://…; undefined keeps events in PostgreSQL. */
  readonly eventStoreUrl?: string
  readonly redisUrl?: string
  readonly host: string
  readonly port: number
  readonly logLevel: string
  /** CORS allow-list (ALLOWED_ORIGINS, comma separated). */
  readonly allowedOrigins: readonly string[]
  /** Reverse proxies whose X-Forwarded-For is believed (TRUSTED_PROXIES). */
  readonly trustedProxies: readonly string[]
  readonly secrets: Secrets
}

export const DEFAULT_PORT = 3000
export const DEFAULT_DATA_DIR = '.cloudretail-data'

export function loadConfig (
  env: NodeJS.ProcessEnv = process.env,
  warn: (message: string) => void = defaultWarn
): Config {
  const production = env.NODE_ENV === 'production'
  const dataDir = resolve(env.DATA_DIR ?? DEFAULT_DATA_DIR)
  const source = { env, dataDir, production, warn }

  return {
    production,
    dataDir,
    // URLs may hold passwords, so each can come from a mounted file too.
    databaseUrl: readConfigured('DATABASE_URL', env),
    eventStoreUrl: readConfigured('EVENTSTORE_URL', env),
    redisUrl: readConfigured('REDIS_URL', env),
    host: env.HOST ?? '127.0.0.1',
    port: parsePort(env.PORT),
    logLevel: env.LOG_LEVEL ?? 'info',
    allowedOrigins: listOf(env.ALLOWED_ORIGINS) ?? ['https://cloudretail.com'],
    trustedProxies: listOf(env.TRUSTED_PROXIES) ?? [],
    secrets: {
      jwtSecret: loadSecret('JWT_SECRET', source),
      keyEncryptionKey: loadSecret('KEY_ENCRYPTION_KEY', source),
      blindIndexKey: loadSecret('BLIND_INDEX_KEY', source)
    }
  }
}

function listOf (value: string | undefined) {
  const items = (value ?? '').split(',').map((item) => item.trim())
    .filter((item) => item !== '')

  return items.length === 0 ? undefined : items
}

function parsePort (value: string | undefined) {
  if (value === undefined || value === '') return DEFAULT_PORT

  const port = Number(value)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be an integer from 0 to 65535, not ${value}`)
  }

  return port
}

// Start-up warnings go to stderr before the logger exists.
function defaultWarn (message: string) {
  process.stderr.write(`WARNING: ${message}\n`)
}
