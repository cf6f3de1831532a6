/**
 * Brings the schema up to date with Kysely's Migrator. Each part keeps its
 * migrations beside its code; names carry the part as a prefix, and parts
 * never depend on each other's tables, so their order across parts is free.
 */
import { Migrator } from 'kysely'
import type { Kysely, Migration, MigrationProvider } from 'kysely'

import { apiKeyMigrations } from '../commands/api-keys/api-key-migrations.ts'
import { commandIndexMigrations } from '../commands/index-migrations.ts'
import { keyStoreMigrations } from '../crypto/key-store-migrations.ts'
import { eventStoreMigrations } from '../eventstore/postgres/migrations.ts'
import { sessionMigrations } from '../http/auth/session-migrations.ts'
import { readModelMigrations } from '../projections/read-model-migrations.ts'

const allMigrations: Record<string, Migration> = {
  ...prefixed('eventstore', eventStoreMigrations),
  ...prefixed('keystore', keyStoreMigrations),
  ...prefixed('commands', commandIndexMigrations),
  ...prefixed('readmodels', readModelMigrations),
  ...prefixed('sessions', sessionMigrations),
  ...prefixed('apikeys', apiKeyMigrations)
}

const provider: MigrationProvider = {
  getMigrations: async () => allMigrations
}

export class MigrationError extends Error {
  readonly code = 'CR_ERR_STORAGE_MIGRATION'
}

export async function migrateToLatest (db: Kysely<any>) {
  const migrator = new Migrator({
    db,
    provider,
    allowUnorderedMigrations: true
  })
  const { error, results } = await migrator.migrateToLatest()
  if (error !== undefined) {
    throw new MigrationError('schema migration failed', { cause: error })
  }

  return (results ?? []).map((result) => result.migrationName)
}

function prefixed (part: string, migrations: Record<string, Migration>) {
  return Object.fromEntries(
    Object.entries(migrations).map(([name, m]) => [`${part}/${name}`, m])
  )
}
