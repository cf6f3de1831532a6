/**
 * Schema of the PostgreSQL event store. `transaction_id` records which
 * transaction wrote each event, so readers can hold back events that an
 * older, still running transaction might precede (see read-events.ts).
 */
import { sql } from 'kysely'
import type { Kysely, Migration } from 'kysely'

export const eventStoreMigrations: Record<string, Migration> = {
  '0001_create_events': {
    async up (db: Kysely<any>) {
      // The identity keeps the default sequence cache of 1: a per-session
      // cache would hand out positions out of order across connections.
      await db.schema
        .createTable('events')
        .addColumn('position', 'bigint', (column) =>
          column.generatedAlwaysAsIdentity().primaryKey())
        .addColumn('stream_id', 'text', (column) => column.notNull())
        .addColumn('stream_revision', 'bigint', (column) => column.notNull())
        .addColumn('event_id', 'uuid', (column) => column.notNull().unique())
        .addColumn('type', 'text', (column) => column.notNull())
        .addColumn('data', 'jsonb', (column) => column.notNull())
        .addColumn('metadata', 'jsonb', (column) => column.notNull())
        .addColumn('recorded_at', 'timestamptz', (column) =>
          column.notNull().defaultTo(sql`now()`))
        .addColumn('transaction_id', sql`xid8`, (column) =>
          column.notNull().defaultTo(sql`pg_current_xact_id()`))
        .addUniqueConstraint('events_stream_revision_unique', [
          'stream_id',
          'stream_revision'
        ])
        .execute()
    },
    async down (db: Kysely<any>) {
      await db.schema.dropTable('events').execute()
    }
  },
  '0002_create_streams': {
    async up (db: Kysely<any>) {
      await db.schema
        .createTable('streams')
        .addColumn('stream_id', 'text', (column) => column.primaryKey())
        .addColumn('revision', 'bigint', (column) => column.notNull())
        .addColumn('updated_at', 'timestamptz', (column) =>
          column.notNull().defaultTo(sql`now()`))
        .execute()
    },
    async down (db: Kysely<any>) {
      await db.schema.dropTable('streams').execute()
    }
  }
}
