/**
 * A fresh, migrated database for one test file: a new PostgreSQL database
 * when TEST_DATABASE_URL is set (dropped afterwards), else in-memory PGlite.
 */
import { randomBytes } from 'node:crypto'

import pg from 'pg'

import {
  openDatabase,
  type DatabaseHandle,
  type DatabaseTarget
} from '../../src/storage/database.ts'
import { migrateToLatest } from '../../src/storage/migrate.ts'

interface Teardown { teardown(fn: () => unknown): void }

// An empty value counts as unset, as it does for the service's own settings.
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined

export async function openTestDatabase (t: Teardown): Promise<DatabaseHandle> {
  const scratch = TEST_DATABASE_URL === undefined
    ? undefined
    : await createScratchDatabase(TEST_DATABASE_URL)
  const target: DatabaseTarget = scratch === undefined
    ? { memory: true }
    : { url: scratch.url }
  const handle = await openDatabase(target)
  t.teardown(async () => {
    await handle.close()
    await scratch?.drop()
  })
  await migrateToLatest(handle.db)

  return handle
}

/** An empty database beside the one the admin URL names. */
export async function createScratchDatabase (adminUrl: string) {
  const name = `cr_test_${randomBytes(6).toString('hex')}`
  await runAdmin(adminUrl, `create database ${name}`)
  const url = new URL(adminUrl)
  url.pathname = `/${name}`

  return {
    url: url.toString(),
    drop: () => dropWhenIdle(adminUrl, name)
  }
}

// pg's Pool.end() resolves before the server has let its sessions go; a
// forced drop right then kills them mid-goodbye. Wait for them (bounded),
// and force only what is still there after that.
async function dropWhenIdle (adminUrl: string, name: string) {
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    for (let attempt = 0; attempt < 100; attempt++) {
      const { rows } = await client.query(
        'select count(*)::int as open from pg_stat_activity where datname = $1',
        [name])
      if (rows[0].open === 0) break
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    await client.query(`drop database if exists ${name} with (force)`)
  } finally {
    await client.end()
  }
}

async function runAdmin (adminUrl: string, statement: string) {
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    await client.query(statement)
  } finally {
    await client.end()
  }
}
