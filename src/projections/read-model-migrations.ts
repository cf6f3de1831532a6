/**
 * Schema of the read side. Read-model tables have no foreign keys between
 * them: a rebuild copies them with `create table … (like …)`, which does not
 * copy foreign keys, and projections keep them consistent anyway.
 */
import { sql } from 'kysely'
import type { Kysely, Migration } from 'kysely'

export const readModelMigrations: Record<string, Migration> = {
  '0001_create_projection_checkpoints': {
    async up (db: Kysely<any>) {
      await db.schema.createTable('projection_checkpoints')
        .addColumn('name', 'text', (col) => col.primaryKey())
        .addColumn('position', 'int8', (col) => col.notNull())
        .addColumn('updated_at', 'timestamptz',
          (col) => col.notNull().defaultTo(sql`now()`))
        .execute()
    },
    async down (db: Kysely<any>) {
      await db.schema.dropTable('projection_checkpoints').execute()
    }
  },
  '0002_create_users': {
    async up (db: Kysely<any>) {
      await db.schema.createTable('rm_users')
        .addColumn('user_id', 'text', (col) => col.primaryKey())
        .addColumn('role', 'text', (col) => col.notNull())
        .addColumn('email', 'text')
        .addColumn('username', 'text')
        .addColumn('first_name', 'text')
        .addColumn('last_name', 'text')
        .addColumn('address', 'jsonb')
        .addColumn('consent', 'jsonb', (col) => col.notNull())
        .addColumn('erased', 'boolean',
          (col) => col.notNull().defaultTo(false))
        .addColumn('registered_at', 'timestamptz', (col) => col.notNull())
        .addColumn('erased_at', 'timestamptz')
        .addColumn('seq', 'int8', (col) => col.notNull().unique())
        .execute()

      // The admin list filters by role and pages by seq.
      await db.schema.createIndex('rm_users_role_seq_idx')
        .on('rm_users').columns(['role', 'seq']).execute()
    },
    async down (db: Kysely<any>) {
      await db.schema.dropTable('rm_users').execute()
    }
  },
  '0003_create_products': {
    async up (db: Kysely<any>) {
      await db.schema.createTable('rm_products')
        .addColumn('product_id', 'text', (col) => col.primaryKey())
        .addColumn('vendor_id', 'text', (col) => col.notNull())
        .addColumn('sku', 'text', (col) => col.notNull())
        .addColumn('title', 'text', (col) => col.notNull())
        .addColumn('description', 'text', (col) => col.notNull())
        .addColumn('category', 'text', (col) => col.notNull())
        .addColumn('brand', 'text')
        .addColumn('price_cents', 'integer', (col) => col.notNull())
        .addColumn('stock', 'integer', (col) => col.notNull())
        .addColumn('created_at', 'timestamptz', (col) => col.notNull())
        .addColumn('updated_at', 'timestamptz', (col) => col.notNull())
        .addColumn('seq', 'int8', (col) => col.notNull().unique())
        .execute()

      await db.schema.createIndex('rm_products_category_seq_idx')
        .on('rm_products').columns(['category', 'seq']).execute()
      await db.schema.createIndex('rm_products_vendor_id_seq_idx')
        .on('rm_products').columns(['vendor_id', 'seq']).execute()
    },
    async down (db: Kysely<any>) {
      await db.schema.dropTable('rm_products').execute()
    }
  },
  '0004_create_orders': {
    async up (db: Kysely<any>) {
      await db.schema.createTable('rm_orders')
        .addColumn('order_id', 'text', (col) => col.primaryKey())
        .addColumn('customer_id', 'text', (col) => col.notNull())
        .addColumn('status', 'text', (col) => col.notNull())
        .addColumn('total_cents', 'integer', (col) => col.notNull())
        .addColumn('placed_at', 'timestamptz', (col) => col.notNull())
        .addColumn('cancelled_at', 'timestamptz')
        .addColumn('shipping_address', 'jsonb')
        .addColumn('seq', 'int8', (col) => col.notNull().unique())
        .execute()

      await db.schema.createIndex('rm_orders_customer_id_seq_idx')
        .on('rm_orders').columns(['customer_id', 'seq']).execute()
      await db.schema.createIndex('rm_orders_status_seq_idx')
        .on('rm_orders').columns(['status', 'seq']).execute()

      await db.schema.createTable('rm_order_lines')
        .addColumn('order_id', 'text', (col) => col.notNull())
        .addColumn('line_no', 'integer', (col) => col.notNull())
        .addColumn('product_id', 'text', (col) => col.notNull())
        .addColumn('vendor_id', 'text', (col) => col.notNull())
        .addColumn('title', 'text', (col) => col.notNull())
        .addColumn('unit_price_cents', 'integer', (col) => col.notNull())
        .addColumn('quantity', 'integer', (col) => col.notNull())
        .addColumn('line_total_cents', 'integer', (col) => col.notNull())
        .addPrimaryKeyConstraint('rm_order_lines_pkey', ['order_id', 'line_no'])
        .execute()

      // Filters "orders containing this product / from this vendor".
      await db.schema.createIndex('rm_order_lines_product_id_order_id_idx')
        .on('rm_order_lines').columns(['product_id', 'order_id']).execute()
      await db.schema.createIndex('rm_order_lines_vendor_id_order_id_idx')
        .on('rm_order_lines').columns(['vendor_id', 'order_id']).execute()
    },
    async down (db: Kysely<any>) {
      await db.schema.dropTable('rm_order_lines').execute()
      await db.schema.dropTable('rm_orders').execute()
    }
  },
  // Prices go up to 10^10 cents and an order's total to 50 lines of 1,000
  // of them: a 32-bit column overflowed on the first such event and held
  // its projection behind for good (and a rebuild failed on it too).
  '0005_money_as_int8': {
    async up (db: Kysely<any>) {
      for (const [table, column] of MONEY_COLUMNS) {
        await db.schema.alterTable(table)
          .alterColumn(column, (col) => col.setDataType('int8')).execute()
      }
    },
    async down (db: Kysely<any>) {
      for (const [table, column] of MONEY_COLUMNS) {
        await db.schema.alterTable(table)
          .alterColumn(column, (col) => col.setDataType('integer')).execute()
      }
    }
  }
}

const MONEY_COLUMNS = [
  ['rm_products', 'price_cents'],
  ['rm_orders', 'total_cents'],
  ['rm_order_lines', 'unit_price_cents'],
  ['rm_order_lines', 'line_total_cents']
] as const
