/**
 * Opens the PostgreSQL that holds read models, the key store, the lookup
 * indexes and (unless EventStoreDB is configured) the events: a server via
 * `pg` when a URL is given, PGlite in-process otherwise. Both are reached
 * through one Kysely instance, so every query is written once.
 */
import { PGlite } from '@electric-sql/pglite'
import { Kysely, PostgresDialect, sql } from 'kysely'
import { PGliteDialect } from 'kysely-pglite-dialect'
import pg from 'pg'

import type { Database } from './schema.ts'

export type DatabaseEngine = 'postgres' | 'pglite'

export interface DatabaseHandle {
  readonly db: Kysely<Database>
  readonly engine: DatabaseEngine
  close(): Promise<void>
}

export type DatabaseTarget =
  | { readonly url: string }
  | { readonly pgliteDir: string }
  | { readonly memory: true }

const INT8_OID = 20

// pg hands int8 back as a string; PGlite would hand a lossy number. Both are
// made to return strings, and callers convert with BigInt() where it counts.
const pgliteParsers = { [INT8_OID]: (value: string) => value }

export async function openDatabase (
  target: DatabaseTarget
): Promise<DatabaseHandle> {
  const handle = 'url' in target
    ? openPostgres(target.url)
    : await openPglite('memory' in target ? undefined : target.pgliteDir)

  // A configured server that cannot be reached fails the start here, not on
  // the first request.
  await sql`select 1`.execute(handle.db)

  return handle
}

function openPostgres (url: string): DatabaseHandle {
  const pool = new pg.Pool({ connectionString: url, max: 10 })
  // An idle connection the server drops (a restart, a failover, an admin's
  // terminate) is reported on the pool; without a listener Node would crash
  // the process. The pool replaces the connection on next use, and queries
  // in flight fail on their own, so there is nothing more to do here.
  pool.on('error', () => undefined)
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })

  return { db, engine: 'postgres', close: () => db.destroy() }
}

async function openPglite (dir: string | undefined): Promise<DatabaseHandle> {
  const options = { parsers: pgliteParsers }
  const pglite = dir === undefined
    ? await PGlite.create(options)
    : await PGlite.create(dir, options)
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) })

  // Destroying the Kysely instance also closes PGlite.
  return { db, engine: 'pglite', close: () => db.destroy() }
}
