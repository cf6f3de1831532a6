/**
 * Elects one active writer per projection across processes with PostgreSQL
 * session advisory locks, held on a connection leased for as long as the
 * locks are: the server frees them by itself if that process dies.
 *
 * PGlite has a single connection for the whole process, so leasing it would
 * stall every other query; there the locks are taken on the shared session
 * (one process owns the database) and an in-process registry keeps two
 * projectors in the same process apart, since session locks re-enter.
 */
import { sql, type Kysely } from 'kysely'

import type { Database } from '../storage/schema.ts'

/** First half of every lock key ('CRPJ'), so these locks cannot collide
 * with advisory locks other parts of the system take on one key. */
const PROJECTION_LOCK_SPACE = 0x4352504a

export interface ProjectionLocks {
  /**
   * Tries each name not yet held; returns the names held afterwards. Throws
   * when the lock session is gone, since its locks went with it.
   */
  tryAcquire(names: readonly string[]): Promise<ReadonlySet<string>>
  readonly held: ReadonlySet<string>
  /** Releases every lock and the leased connection. */
  release(): Promise<void>
}

const heldInProcess = new WeakMap<Kysely<Database>, Set<string>>()

export async function openProjectionLocks (
  db: Kysely<Database>
): Promise<ProjectionLocks> {
  const lease = await isPglite(db) ? undefined : await leaseConnection(db)
  const session = lease?.connection ?? db
  const inProcess = heldInProcess.get(db) ?? new Set<string>()
  heldInProcess.set(db, inProcess)
  const held = new Set<string>()

  return {
    held,
    async tryAcquire (names) {
      await sql`select 1`.execute(session)
      for (const name of names) {
        if (held.has(name) || inProcess.has(name)) continue
        if (await tryLock(session, name)) {
          held.add(name)
          inProcess.add(name)
        }
      }

      return held
    },
    async release () {
      // A dead session has already lost its locks on the server; forgetting
      // them here whatever happens lets this process take them again.
      try {
        for (const name of held) await unlock(session, name)
      } finally {
        for (const name of held) inProcess.delete(name)
        held.clear()
        lease?.end()
      }
    }
  }
}

/** Whether any session holds the projection's lock right now. */
export async function isProjectionLocked (
  db: Kysely<Database>,
  name: string
): Promise<boolean> {
  // pg_locks shows a two-key advisory lock as classid/objid (oids, so the
  // int4 keys read back unsigned) with objsubid 2. It lists every database
  // on the server; the lock itself is scoped to one.
  const { rows } = await sql<{ locked: boolean }>`
    select exists (
      select 1 from pg_locks
      where locktype = 'advisory' and objsubid = 2 and granted
        and database = (
          select oid from pg_database where datname = current_database())
        and classid = ${PROJECTION_LOCK_SPACE}::int8::oid
        and objid = (hashtext(${name})::int8 & 4294967295)::oid
    ) as locked`.execute(db)

  return rows[0]?.locked === true
}

async function tryLock (session: Kysely<Database>, name: string) {
  const { rows } = await sql<{ locked: boolean }>`
    select pg_try_advisory_lock(${PROJECTION_LOCK_SPACE}::int4,
      hashtext(${name})) as locked`.execute(session)

  return rows[0]?.locked === true
}

async function unlock (session: Kysely<Database>, name: string) {
  await sql`select pg_advisory_unlock(${PROJECTION_LOCK_SPACE}::int4,
    hashtext(${name}))`.execute(session)
}

async function isPglite (db: Kysely<Database>) {
  const { rows } = await sql<{ version: string }>`select version() as version`
    .execute(db)

  return rows[0]?.version.includes('PGlite') === true
}

/** Holds one pooled connection until `end` is called. */
async function leaseConnection (db: Kysely<Database>) {
  return await new Promise<{ connection: Kysely<Database>, end: () => void }>(
    (resolve, reject) => {
      db.connection().execute((connection) => new Promise<void>((end) => {
        resolve({ connection, end: () => end() })
      })).catch(reject)
    })
}
