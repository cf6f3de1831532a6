import type { Kysely, Migration } from 'kysely'

export const apiKeyMigrations: Record<string, Migration> = {
  '0001_create_api_keys': {
    async up (db: Kysely<any>) {
      await db.schema.createTable('api_keys')
        .addColumn('key_id', 'text', (c) => c.primaryKey())
        .addColumn('key_hash', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('scopes', 'text', (c) => c.notNull())
        .addColumn('customer_id', 'text')
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull())
        .addColumn('expires_at', 'timestamptz')
        .addColumn('revoked_at', 'timestamptz')
        .execute()
    },
    async down (db: Kysely<any>) {
      await db.schema.dropTable('api_keys').execute()
    }
  }
}
