/**
 * Closes a test database's pool and waits until its server sessions have
 * really gone. pg's Pool.end() resolves once it has asked each connection to
 * end, not once the server let them go; the helper's DROP DATABASE … WITH
 * (FORCE) can then kill a session mid-goodbye, and pg throws that FATAL as an
 * unhandled error. Register it after openTestDatabase: teardowns run last
 * first, so this runs before the drop.
 */
import { sql } from 'kysely'
import pg from 'pg'

import type { DatabaseHandle } from '../../src/storage/database.ts'
import { TEST_DATABASE_URL } from '../helpers/database.ts'

const SETTLE_ATTEMPTS = 100
const SETTLE_PAUSE_MS = 20

export async function closeBeforeDrop (handle: DatabaseHandle) {
  if (handle.engine !== 'postgres' || TEST_DATABASE_URL === undefined) {
    return handle.close()
  }

  const { rows } = await sql<{ name: string }>`
    select current_database() as name`.execute(handle.db)
  await handle.close()
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL })
  await admin.connect()
  try {
    for (let attempt = 0; attempt < SETTLE_ATTEMPTS; attempt += 1) {
      const { rows: sessions } = await admin.query(
        'select count(*)::int as open from pg_stat_activity where datname = $1',
        [rows[0]?.name])
      if (sessions[0].open === 0) return
      await new Promise((resolve) => setTimeout(resolve, SETTLE_PAUSE_MS))
    }
  } finally {
    await admin.end()
  }
}
