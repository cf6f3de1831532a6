import type { Migration } from 'kysely'
export const readModelMigrations: Record<string, Migration> = {}
