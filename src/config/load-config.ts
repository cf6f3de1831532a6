/**
 * One place that reads the environment. Each engine is chosen by whether its
 * URL is set (see the README's configuration table); nothing set means the
 * embedded default: PGlite in the data folder, events in it too, in-process
 * counters and revocations.
 */
import { resolve } from 'node:path'

import {
  DEFAULT_GDPR_HEADERS,
  type GdprHeaderValues
} from '../http/plugins/app/gdpr-headers.ts'
import type { TlsFiles } from '../http/tls-options.ts'
import {
  loadOptionalSecret,
  loadSecret,
  readConfigured
} from './secrets.ts'

export interface Secrets {
  /** HS256 signing key for session tokens. */
  readonly jwtSecret: Buffer
  /** The signing key before the last rotation: its tokens stay valid
   * until they expire (JWT_PREVIOUS_SECRET); never used to sign. */
  readonly jwtPreviousSecret?: Buffer
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
  /** Clients never rate limited (RATE_LIMIT_EXEMPT_IPS): addresses or
   * CIDR ranges, as seen through the trusted proxies. None by default. */
  readonly rateLimitExemptIps: readonly string[]
  /** Host names answered (ALLOWED_HOSTS); empty: any Host. */
  readonly allowedHosts: readonly string[]
  /** GDPR_REGION, PRIVACY_POLICY_URL, DATA_CONTROLLER. */
  readonly gdprHeaders: GdprHeaderValues
  /** TLS_CERT_FILE and TLS_KEY_FILE; undefined serves plain HTTP. */
  readonly tls?: TlsFiles
  /** Bearer token for /metrics (METRICS_TOKEN); undefined: no /metrics. */
  readonly metricsToken?: string
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
    rateLimitExemptIps: listOf(env.RATE_LIMIT_EXEMPT_IPS) ?? [],
    allowedHosts: listOf(env.ALLOWED_HOSTS) ?? [],
    gdprHeaders: {
      region: headerValue('GDPR_REGION', env) ??
        DEFAULT_GDPR_HEADERS.region,
      privacyPolicy: headerValue('PRIVACY_POLICY_URL', env) ??
        DEFAULT_GDPR_HEADERS.privacyPolicy,
      controller: headerValue('DATA_CONTROLLER', env) ??
        DEFAULT_GDPR_HEADERS.controller
    },
    tls: tlsFiles(env),
    metricsToken: metricsToken(env),
    secrets: {
      jwtSecret: loadSecret('JWT_SECRET', source),
      ...optionalSecret('jwtPreviousSecret',
        loadOptionalSecret('JWT_PREVIOUS_SECRET', env)),
      keyEncryptionKey: loadSecret('KEY_ENCRYPTION_KEY', source),
      blindIndexKey: loadSecret('BLIND_INDEX_KEY', source)
    }
  }
}

function optionalSecret<K extends string> (name: K, value?: Buffer) {
  return value === undefined ? {} : { [name]: value } as Record<K, Buffer>
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

// A value sent as a response header: control characters would split it.
function headerValue (name: string, env: NodeJS.ProcessEnv) {
  const value = env[name]?.trim()
  if (value === undefined || value === '') return undefined
  if ([...value].some((c) => c.charCodeAt(0) < 0x20 || c === '\u007f')) {
    throw new Error(`${name} must not contain control characters`)
  }

  return value
}

function tlsFiles (env: NodeJS.ProcessEnv): TlsFiles | undefined {
  const certFile = env.TLS_CERT_FILE ?? ''
  const keyFile = env.TLS_KEY_FILE ?? ''
  if (certFile === '' && keyFile === '') return undefined
  if (certFile === '' || keyFile === '') {
    throw new Error('TLS_CERT_FILE and TLS_KEY_FILE must be set together')
  }

  return { certFile, keyFile }
}

/** /metrics is not rate limited (a scraper polls it), so its token must
 * be too long to guess: 32 characters, 192 bits or more of base64. */
export const MIN_METRICS_TOKEN_LENGTH = 32

function metricsToken (env: NodeJS.ProcessEnv) {
  const token = readConfigured('METRICS_TOKEN', env)
  if (token !== undefined && token.length < MIN_METRICS_TOKEN_LENGTH) {
    throw new Error(`METRICS_TOKEN must be at least ${MIN_METRICS_TOKEN_LENGTH} characters`)
  }

  return token
}

// Start-up warnings go to stderr before the logger exists.
function defaultWarn (message: string) {
  process.stderr.write(`WARNING: ${message}\n`)
}
