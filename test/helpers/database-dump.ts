/**
 * Every row of every table in the database as text, for erasure tests that
 * must show a person's data is gone from everywhere, not only from the
 * tables someone remembered. Tables are found in information_schema, in
 * every schema but PostgreSQL's own.
 */
import { sql, type Kysely } from 'kysely'

export interface TableDump {
  readonly table: string
  readonly rows: readonly string[]
}

export async function dumpAllTables (
  db: Kysely<any>
): Promise<TableDump[]> {
  const tables = await sql<{ schema: string, name: string }>`
    select table_schema as schema, table_name as name
    from information_schema.tables
    where table_type = 'BASE TABLE'
      and table_schema not in ('pg_catalog', 'information_schema')
      and table_schema not like 'pg\\_%'
    order by 1, 2`.execute(db)
  const dumps: TableDump[] = []
  for (const { schema, name } of tables.rows) {
    const qualified = sql.table(`${schema}.${name}`)
    const rows = await sql<{ row: string }>`
      select row_to_json(t)::text as row from ${qualified} as t`.execute(db)
    dumps.push({ table: `${schema}.${name}`, rows: rows.rows.map((r) => r.row) })
  }

  return dumps
}

/** Where any of the needles occurs (case-insensitively), as
 * "schema.table: needle". */
export function findTraces (
  dumps: readonly TableDump[],
  needles: readonly string[]
): string[] {
  const lowered = needles.map((needle) => needle.toLowerCase())
  const found: string[] = []
  for (const { table, rows } of dumps) {
    for (const row of rows) {
      const text = row.toLowerCase()
      for (const needle of lowered) {
        if (text.includes(needle)) found.push(`${table}: ${needle}`)
      }
    }
  }

  return [...new Set(found)]
}
