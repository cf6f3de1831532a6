import type { Migration } from 'kysely'
export const commandIndexMigrations: Record<string, Migration> = {}
