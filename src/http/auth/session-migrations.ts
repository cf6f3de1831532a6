import type { Kysely, Migration } from 'kysely'

export const sessionMigrations: Record<string, Migration> = {
  '0001_create_sessions': {
    async up (db: Kysely<any>) {
      await db.schema.createTable('sessions')
        .addColumn('token_id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
        .execute()
      await db.schema.createIndex('sessions_user_id')
        .on('sessions').column('user_id').execute()
    },
    async down (db: Kysely<any>) {
      await db.schema.dropTable('sessions').execute()
    }
  }
}
