import { sql, type Kysely, type Migration } from 'kysely'

export const commandIndexMigrations: Record<string, Migration> = {
  '0001_create_lookup_indexes': {
    async up (db: Kysely<any>) {
      await db.schema.createTable('user_lookup')
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('value_hash', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz',
          (c) => c.notNull().defaultTo(sql`now()`))
        .addPrimaryKeyConstraint('user_lookup_pk', ['purpose', 'value_hash'])
        .execute()
      await db.schema.createIndex('user_lookup_user_id')
        .on('user_lookup').column('user_id').execute()
      await db.schema.createTable('product_skus')
        .addColumn('sku_key', 'text', (c) => c.primaryKey())
        .addColumn('product_id', 'text', (c) => c.notNull().unique())
        .execute()
    },
    async down (db: Kysely<any>) {
      await db.schema.dropTable('product_skus').execute()
      await db.schema.dropTable('user_lookup').execute()
    }
  }
}
