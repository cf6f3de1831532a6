import { sql } from 'kysely'
import type { Kysely, Migration } from 'kysely'

export const keyStoreMigrations: Record<string, Migration> = {
  '0001_create_subject_keys': {
    async up (db: Kysely<any>) {
      await db.schema.createTable('subject_keys')
        .addColumn('subject_id', 'text', (col) => col.primaryKey())
        .addColumn('wrapped_key', 'bytea', (col) => col.notNull())
        .addColumn('kek_id', 'text', (col) => col.notNull())
        .addColumn('created_at', 'timestamptz',
          (col) => col.notNull().defaultTo(sql`now()`))
        .execute()

      // Rotation looks up the keys still wrapped under an old KEK.
      await db.schema.createIndex('subject_keys_kek_id_idx')
        .on('subject_keys').column('kek_id').execute()

      await db.schema.createTable('erased_subjects')
        .addColumn('subject_id', 'text', (col) => col.primaryKey())
        .addColumn('erased_at', 'timestamptz',
          (col) => col.notNull().defaultTo(sql`now()`))
        .execute()
    },
    async down (db: Kysely<any>) {
      await db.schema.dropTable('erased_subjects').execute()
      await db.schema.dropTable('subject_keys').execute()
    }
  }
}
