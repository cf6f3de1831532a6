/**
 * Secrets come, in this order, from a file named by `<NAME>_FILE` (how
 * Kubernetes Secrets and Vault agents mount them), from `<NAME>` itself, or,
 * outside production, from a file generated once in the data folder with a
 * loud warning. In production (NODE_ENV=production) a missing secret stops
 * the start: failing securely beats running on a key nobody manages.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

export const SECRET_NAMES = [
  'JWT_SECRET',
  'KEY_ENCRYPTION_KEY',
  'BLIND_INDEX_KEY'
] as const

export type SecretName = typeof SECRET_NAMES[number]

/** 256 bits: the floor for HS256 and the size of an AES-256 key. */
export const MIN_SECRET_BYTES = 32

export interface SecretSource {
  readonly env: NodeJS.ProcessEnv
  readonly dataDir: string
  readonly production: boolean
  readonly warn: (message: string) => void
}

export class SecretError extends Error {
  readonly code = 'CR_ERR_CONFIG_SECRET'
}

/** Reads one secret as bytes: base64 (or base64url) text of at least 32
 * bytes. */
export function loadSecret (name: SecretName, source: SecretSource): Buffer {
  const text = readConfigured(name, source.env) ??
    readGenerated(name, source)

  return checkSize(name, decodeSecret(text))
}

function checkSize (name: string, bytes: Buffer) {
  if (bytes.length < MIN_SECRET_BYTES) {
    throw new SecretError(
      `${name} must hold at least ${MIN_SECRET_BYTES * 8} bits ` +
      `(${MIN_SECRET_BYTES} bytes, base64 encoded)`
    )
  }

  return bytes
}

/** A secret that may be absent (JWT_PREVIOUS_SECRET): never generated,
 * and held to the same size and encoding as the others when present. */
export function loadOptionalSecret (
  name: string,
  env: NodeJS.ProcessEnv
): Buffer | undefined {
  const text = readConfigured(name, env)
  if (text === undefined) return undefined

  return checkSize(name, decodeSecret(text))
}

/** A setting from `<NAME>_FILE` (a mounted secret) or `<NAME>`. */
export function readConfigured (name: string, env: NodeJS.ProcessEnv) {
  const file = env[`${name}_FILE`]
  if (file !== undefined && file !== '') {
    return readFileSync(file, 'utf8').trim()
  }

  const value = env[name]

  return value !== undefined && value !== '' ? value.trim() : undefined
}

function readGenerated (name: SecretName, source: SecretSource) {
  if (source.production) {
    throw new SecretError(
      `${name} is not configured: set ${name}_FILE or ${name}`
    )
  }

  const file = generatedSecretFile(source.dataDir, name)
  const dir = dirname(file)
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    writeFileSync(file, randomBytes(MIN_SECRET_BYTES).toString('base64'), {
      mode: 0o600
    })
    source.warn(
      `GENERATED ${name} into ${file}: fine for a laptop, never for ` +
      `production; set ${name}_FILE`
    )
  }

  return readFileSync(file, 'utf8').trim()
}

/** Where a secret generated for the embedded default is kept. */
export function generatedSecretFile (dataDir: string, name: SecretName) {
  return join(dataDir, 'secrets', name.toLowerCase())
}

function decodeSecret (text: string) {
  const normalised = text.replace(/-/g, '+').replace(/_/g, '/')
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(normalised)) {
    throw new SecretError('secrets must be base64 encoded')
  }

  return Buffer.from(normalised, 'base64')
}
